package io.capstan.runtime.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests as OCI writes them ({@code sha256:<64 hex>}, {@code sha512:<128 hex>}). */
final class Digests {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("sha512:[0-9a-f]{128}");

    private Digests() {}

    static boolean isSupported(String digest) {
        return digest != null && (SHA256.matcher(digest).matches() || SHA512.matcher(digest).matches());
    }

    /** Throws an INVALID ImageException unless the digest is a well-formed sha256 or sha512 digest. */
    static String check(String digest) {
        if (!isSupported(digest)) {
            throw new ImageException(ImageException.Kind.INVALID, "unsupported or malformed digest \"" + digest + "\"");
        }
        return digest;
    }

    static String algorithm(String digest) {
        return digest.substring(0, digest.indexOf(':'));
    }

    static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String format(String algorithm, MessageDigest digest) {
        return algorithm + ":" + HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) {
        MessageDigest d = newDigest("sha256");
        d.update(bytes);
        return format("sha256", d);
    }
}
