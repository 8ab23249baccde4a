package io.capstan.store.encryption;

import java.security.SecureRandom;

/** One named AES key of an encryption configuration (16, 24 or 32 bytes). */
public record EncryptionKey(String name, byte[] secret) {

    public EncryptionKey {
        if (name.isEmpty() || name.contains(":")) {
            throw new IllegalArgumentException("key name must be non-empty and without ':': " + name);
        }
        if (secret.length != 16 && secret.length != 24 && secret.length != 32) {
            throw new IllegalArgumentException("key " + name + " must be 16, 24 or 32 bytes, not " + secret.length);
        }
    }

    /** A new random 32-byte key. */
    public static EncryptionKey random(String name) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new EncryptionKey(name, secret);
    }
}
