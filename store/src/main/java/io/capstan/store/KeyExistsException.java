package io.capstan.store;

/** A create found the key live already. */
public final class KeyExistsException extends StoreException {
    public KeyExistsException(String key) {
        super("key exists: " + key);
    }
}
