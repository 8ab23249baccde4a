package io.capstan.runtime.image;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer (a tar, plain, gzip or zstd) into a directory of its own, in the form overlayfs reads
 * as a lower layer: whiteouts {@code .wh.NAME} become 0/0 character devices and {@code .wh..wh..opq} the
 * opaque-directory xattr. Modes, owners, times, symlinks, hard links and device nodes are kept; an entry
 * that would land outside the directory is rejected; the uncompressed stream must hash to the diff id.
 */
final class LayerUnpacker {

    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private record DirAttrs(Path dir, int mode, FileTime mtime) {}

    /** Unpacks {@code blob} into {@code target} (created here, must not exist) and checks it against {@code diffId}. */
    void unpack(InputStream blob, String diffId, Path target) throws IOException {
        Digests.check(diffId);
        MessageDigest md = Digests.newDigest(Digests.algorithm(diffId));
        Files.createDirectory(target);
        List<DirAttrs> dirs = new ArrayList<>();
        try (InputStream raw = decompress(new BufferedInputStream(blob, 1 << 16));
             DigestInputStream hashed = new DigestInputStream(raw, md)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(hashed);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                apply(target, entry, tar, dirs);
            }
            // The diff id covers the whole uncompressed stream, end-of-archive blocks included.
            hashed.transferTo(OutputStream.nullOutputStream());
        }
        String actual = Digests.format(Digests.algorithm(diffId), md);
        if (!actual.equals(diffId)) {
            throw new BlobStore.DigestMismatchException(diffId, actual);
        }
        // Directories last and deepest first, so writing their children does not change their times again.
        for (int i = dirs.size() - 1; i >= 0; i--) {
            DirAttrs d = dirs.get(i);
            Files.setAttribute(d.dir, "unix:mode", d.mode, NOFOLLOW);
            Files.getFileAttributeView(d.dir, BasicFileAttributeView.class, NOFOLLOW).setTimes(d.mtime, null, null);
        }
    }

    static InputStream decompress(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (magic.length == 4 && magic[0] == 0x28 && (magic[1] & 0xff) == 0xb5 && magic[2] == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    private void apply(Path root, TarArchiveEntry e, InputStream data, List<DirAttrs> dirs) throws IOException {
        Path rel = relative(e.getName());
        if (rel == null) {
            // "./" itself: the layer's root directory.
            if (e.isDirectory()) {
                owner(root, e);
                dirs.add(new DirAttrs(root, e.getMode() & 07777, FileTime.from(e.getModTime().toInstant())));
            }
            return;
        }
        Path path = root.resolve(rel);
        Path parent = path.getParent();
        ensureParents(root, parent);
        String base = rel.getFileName().toString();
        if (base.equals(OPAQUE)) {
            LinuxFiles.setXattr(parent, OPAQUE_XATTR, "y".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            if (base.startsWith(WHITEOUT + WHITEOUT)) {
                return; // aufs metadata (.wh..wh.plnk and the like) means nothing to overlayfs
            }
            Path hidden = parent.resolve(base.substring(WHITEOUT.length()));
            clear(hidden);
            LinuxFiles.mknod(hidden, LinuxFiles.S_IFCHR, 0, 0, 0);
            return;
        }
        if (e.isDirectory()) {
            if (!Files.isDirectory(path, NOFOLLOW)) {
                clear(path);
                Files.createDirectory(path);
            }
            owner(path, e);
            dirs.add(new DirAttrs(path, e.getMode() & 07777, FileTime.from(e.getModTime().toInstant())));
            return;
        }
        clear(path);
        if (e.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(e.getLinkName()));
            owner(path, e);
            Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(FileTime.from(e.getModTime().toInstant()), null, null);
            return;
        }
        if (e.isLink()) {
            Path target = relative(e.getLinkName());
            if (target == null || !Files.exists(root.resolve(target), NOFOLLOW)) {
                throw new IOException("layer entry " + e.getName() + " links to " + e.getLinkName() + ", which the layer does not hold");
            }
            ensureParents(root, root.resolve(target).getParent());
            Files.createLink(path, root.resolve(target));
            return;
        }
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            int type = e.isCharacterDevice() ? LinuxFiles.S_IFCHR : e.isBlockDevice() ? LinuxFiles.S_IFBLK : LinuxFiles.S_IFIFO;
            LinuxFiles.mknod(path, type, e.getMode(), e.getDevMajor(), e.getDevMinor());
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                data.transferTo(out);
            }
        } else {
            return; // sockets, sparse-file headers and other exotica have no place in an image layer
        }
        owner(path, e);
        // chown clears set-id bits, so the mode comes after the owner.
        Files.setAttribute(path, "unix:mode", e.getMode() & 07777, NOFOLLOW);
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.from(e.getModTime().toInstant()), null, null);
    }

    /** The entry's path inside the layer, null for the layer's root; throws when it would climb out. */
    static Path relative(String name) throws IOException {
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        Path rel = Path.of(n).normalize();
        if (rel.toString().isEmpty() || rel.toString().equals(".")) {
            return null;
        }
        if (rel.isAbsolute() || rel.startsWith("..")) {
            throw new IOException("layer entry \"" + name + "\" points outside the layer");
        }
        return rel;
    }

    /** Creates missing parent directories and refuses a path that would pass through a symlink. */
    private static void ensureParents(Path root, Path dir) throws IOException {
        Path rel = root.relativize(dir);
        Path current = root;
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new IOException("layer entry under " + root.relativize(current) + " would be written through a symbolic link");
            }
            if (!Files.exists(current, NOFOLLOW)) {
                Files.createDirectory(current);
            } else if (!Files.isDirectory(current, NOFOLLOW)) {
                throw new IOException("layer entry under " + root.relativize(current) + ", which is not a directory");
            }
        }
    }

    /** Removes whatever an earlier entry put at this path, as a later tar entry replaces an earlier one. */
    private static void clear(Path path) throws IOException {
        if (Files.isDirectory(path, NOFOLLOW)) {
            Trees.delete(path);
        } else {
            Files.deleteIfExists(path);
        }
    }

    private static void owner(Path path, TarArchiveEntry e) throws IOException {
        Files.setAttribute(path, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
        Files.setAttribute(path, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
    }
}
