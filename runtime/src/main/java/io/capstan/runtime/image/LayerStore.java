package io.capstan.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unpacked layers, each once, under ROOT/layers/HEX (HEX of the diff id), with a short link ROOT/l/ID16 to
 * each so that an overlay's lowerdir option stays short ({@code l/0123456789abcdef}: 19 bytes a layer, so
 * some 200 layers fit the kernel's one-page limit on mount options).
 */
final class LayerStore {

    private final Path root;
    private final Path layers;
    private final Path links;
    private final LayerUnpacker unpacker = new LayerUnpacker();

    LayerStore(Path root) {
        this.root = root;
        this.layers = root.resolve("layers");
        this.links = root.resolve("l");
    }

    Path dir(String diffId) {
        return layers.resolve(Digests.hex(Digests.check(diffId)));
    }

    boolean has(String diffId) {
        return Files.isDirectory(dir(diffId));
    }

    /** The layer's path relative to the store's root, as the overlay mount names it. */
    String lowerName(String diffId) {
        return "l/" + Digests.hex(diffId).substring(0, 16);
    }

    /** Unpacks the blob as the layer {@code diffId} unless that is already there. */
    void ensure(String diffId, BlobStore blobs, String blobDigest) throws IOException {
        Path target = dir(diffId);
        if (!Files.isDirectory(target)) {
            Files.createDirectories(layers);
            Path tmp = root.resolve("tmp");
            Files.createDirectories(tmp);
            Path partial = tmp.resolve("layer-" + Digests.hex(diffId).substring(0, 16) + "-" + System.nanoTime());
            try (InputStream in = blobs.open(blobDigest)) {
                unpacker.unpack(in, diffId, partial);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // another pull unpacked the same layer meanwhile
            } finally {
                Trees.delete(partial);
            }
        }
        Path link = root.resolve(lowerName(diffId));
        if (!Files.isSymbolicLink(link)) {
            Files.createDirectories(links);
            try {
                Files.createSymbolicLink(link, Path.of("..", "layers", Digests.hex(diffId)));
            } catch (FileAlreadyExistsException e) {
                // made by a concurrent ensure
            }
        }
    }

    /**
     * Whether the layer was unpacked before the given time. Its directory carries the layer's own time,
     * so the time of its link, made right after, is what counts; a layer still without a link is taken as new.
     */
    boolean createdBefore(String diffId, long millis) {
        try {
            return Files.getLastModifiedTime(root.resolve(lowerName(diffId)), java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a layer and its link; returns the bytes freed. */
    long delete(String diffId) throws IOException {
        Files.deleteIfExists(root.resolve(lowerName(diffId)));
        return Trees.delete(dir(diffId));
    }

    Set<String> diffIds() throws IOException {
        Set<String> out = new HashSet<>();
        if (Files.isDirectory(layers)) {
            try (Stream<Path> s = Files.list(layers)) {
                s.forEach(p -> out.add("sha256:" + p.getFileName()));
            }
        }
        return out;
    }
}
