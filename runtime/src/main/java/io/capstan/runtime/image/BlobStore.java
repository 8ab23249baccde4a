package io.capstan.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Content-addressed blobs under ROOT/blobs/ALG/HEX. A blob is written to a temporary file while hashed and
 * renamed into place only when its digest is the one expected, so a blob present is a blob verified.
 */
final class BlobStore {

    private final Path blobs;
    private final Path tmp;

    BlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.tmp = root.resolve("tmp");
    }

    Path path(String digest) {
        Digests.check(digest);
        return blobs.resolve(Digests.algorithm(digest)).resolve(Digests.hex(digest));
    }

    boolean has(String digest) {
        return Files.isRegularFile(path(digest));
    }

    /** Stores the stream's bytes under {@code digest}; returns their count. A mismatch leaves nothing behind. */
    long put(String digest, InputStream in) throws IOException {
        Path target = path(digest);
        Files.createDirectories(tmp);
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(tmp, "blob-", ".partial");
        try {
            MessageDigest md = Digests.newDigest(Digests.algorithm(digest));
            long n;
            try (InputStream hashed = new DigestInputStream(in, md); OutputStream out = Files.newOutputStream(partial)) {
                n = hashed.transferTo(out);
            }
            String actual = Digests.format(Digests.algorithm(digest), md);
            if (!actual.equals(digest)) {
                throw new DigestMismatchException(digest, actual);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Stores a stream under the sha256 digest of its bytes, which it returns. */
    String add(InputStream in) throws IOException {
        Files.createDirectories(tmp);
        Path partial = Files.createTempFile(tmp, "blob-", ".partial");
        try {
            MessageDigest md = Digests.newDigest("sha256");
            try (InputStream hashed = new DigestInputStream(in, md); OutputStream out = Files.newOutputStream(partial)) {
                hashed.transferTo(out);
            }
            String digest = Digests.format("sha256", md);
            Path target = path(digest);
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return digest;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Stores bytes already in memory (manifests, configs). */
    void put(String digest, byte[] bytes) throws IOException {
        if (!has(digest)) {
            put(digest, new java.io.ByteArrayInputStream(bytes));
        }
    }

    byte[] read(String digest) throws IOException {
        return Files.readAllBytes(path(digest));
    }

    InputStream open(String digest) throws IOException {
        return Files.newInputStream(path(digest));
    }

    long size(String digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes a blob; returns the bytes freed. */
    long delete(String digest) throws IOException {
        Path p = path(digest);
        long size = size(digest);
        return Files.deleteIfExists(p) ? size : 0;
    }

    Set<String> digests() {
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(blobs)) {
            return out;
        }
        try (Stream<Path> algs = Files.list(blobs)) {
            for (Path alg : algs.toList()) {
                try (Stream<Path> files = Files.list(alg)) {
                    files.forEach(f -> out.add(alg.getFileName() + ":" + f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A blob whose bytes do not hash to the digest it was asked for under. */
    static final class DigestMismatchException extends IOException {
        DigestMismatchException(String expected, String actual) {
            super("digest mismatch: expected " + expected + ", got " + actual);
        }
    }
}
