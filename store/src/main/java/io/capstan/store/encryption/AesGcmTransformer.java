package io.capstan.store.encryption;

import io.capstan.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * kube-apiserver's aesgcm provider: values are written as {@code k8s:enc:aesgcm:v1:<key name>:} followed by a random
 * 12-byte nonce and the AES-GCM ciphertext with its 16-byte tag; the store key is the authenticated data, so a value
 * copied to another key does not decrypt. Writes use the first (primary) key; reads find the key by the name in the
 * prefix, so values written with an older key still read. Values without the prefix were written before encryption
 * was on and are returned as they are, as the identity provider listed last in an EncryptionConfiguration does.
 */
public final class AesGcmTransformer implements ValueTransformer {

    static final String PREFIX = "k8s:enc:aesgcm:v1:";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final EncryptionKey primary;
    private final Map<String, EncryptionKey> byName = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** keys, the primary first; at least one. */
    public AesGcmTransformer(List<EncryptionKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("aesgcm needs at least one key");
        }
        primary = keys.getFirst();
        keys.forEach(k -> byName.putIfAbsent(k.name(), k));
    }

    @Override
    public byte[] toStorage(String key, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, primary, nonce, key, plain, 0, plain.length);
        byte[] name = (primary.name() + ":").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(PREFIX_BYTES.length + name.length + nonce.length + sealed.length)
                .put(PREFIX_BYTES).put(name).put(nonce).put(sealed).array();
    }

    @Override
    public byte[] fromStorage(String key, byte[] stored) {
        if (!Arrays.equals(stored, 0, Math.min(stored.length, PREFIX_BYTES.length), PREFIX_BYTES, 0, PREFIX_BYTES.length)) {
            return stored;
        }
        int colon = indexOf(stored, (byte) ':', PREFIX_BYTES.length);
        if (colon < 0 || stored.length < colon + 1 + NONCE_BYTES + TAG_BITS / 8) {
            throw new StoreException("value of " + key + " is not a valid aesgcm envelope");
        }
        String name = new String(stored, PREFIX_BYTES.length, colon - PREFIX_BYTES.length, StandardCharsets.US_ASCII);
        EncryptionKey k = byName.get(name);
        if (k == null) {
            throw new StoreException("value of " + key + " was encrypted with key \"" + name + "\", which is not configured");
        }
        byte[] nonce = Arrays.copyOfRange(stored, colon + 1, colon + 1 + NONCE_BYTES);
        int offset = colon + 1 + NONCE_BYTES;
        return crypt(Cipher.DECRYPT_MODE, k, nonce, key, stored, offset, stored.length - offset);
    }

    /** Whether stored was written with a key other than the primary one (or not encrypted at all). */
    public boolean stale(byte[] stored) {
        byte[] mine = (PREFIX + primary.name() + ":").getBytes(StandardCharsets.US_ASCII);
        return !Arrays.equals(stored, 0, Math.min(stored.length, mine.length), mine, 0, mine.length);
    }

    private static byte[] crypt(int mode, EncryptionKey k, byte[] nonce, String key, byte[] in, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(k.secret(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(key.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, offset, length);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "encrypt" : "decrypt") + " the value of " + key
                    + " with key \"" + k.name() + "\"", e);
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
