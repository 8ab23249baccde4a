package io.capstan.store;

/** The store ended a watch: it was closed, or its reader fell too far behind. */
public final class WatchClosedException extends StoreException {
    public WatchClosedException(String reason) {
        super(reason);
    }
}
