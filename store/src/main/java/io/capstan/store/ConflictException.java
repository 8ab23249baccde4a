package io.capstan.store;

/** A compare-and-swap found another modRevision than expected. */
public final class ConflictException extends StoreException {
    private final KeyValue current;

    public ConflictException(String key, long expected, KeyValue current) {
        super("key " + key + " is at revision " + current.modRevision() + ", not " + expected);
        this.current = current;
    }

    /** The key as it is now. */
    public KeyValue current() { return current; }
}
