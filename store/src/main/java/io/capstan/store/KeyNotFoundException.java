package io.capstan.store;

/** An update or delete found no live key. */
public final class KeyNotFoundException extends StoreException {
    public KeyNotFoundException(String key) {
        super("key not found: " + key);
    }
}
