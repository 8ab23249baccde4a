package io.capstan.agent.volumes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The kubelet's atomic writer (pkg/volume/util/atomic_writer.go): a volume's files live in a timestamped directory
 * {@code ..2026_01_01_10_00_00.123456}; {@code ..data} is a symlink to it, swapped in one rename; each top-level
 * name a user sees is a symlink through {@code ..data}. A reader sees the old set of files or the new one, never
 * a mix. Nothing is written when the contents, modes and names are unchanged.
 */
public final class AtomicWriter {

    static final String DATA_DIR = "..data";
    static final String NEW_DATA_DIR = "..data_tmp";
    private static final int MAX_FILE_NAME_LENGTH = 255;
    private static final int MAX_PATH_LENGTH = 4096;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);

    private final Path target;
    private final Clock clock;

    public AtomicWriter(Path target) {
        this(target, Clock.systemUTC());
    }

    AtomicWriter(Path target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /**
     * Makes the target directory hold exactly {@code payload} (relative path → file). Returns whether anything was
     * written.
     *
     * @throws IllegalArgumentException with the kubelet's message for a path that is empty, absolute, too long,
     *     contains {@code ..} or starts with {@code ..}
     */
    public boolean write(Map<String, FileProjection> payload) {
        Map<String, FileProjection> clean = new TreeMap<>();
        payload.forEach((p, f) -> {
            validatePath(p);
            clean.put(Path.of(p).normalize().toString(), f);
        });
        try {
            Files.createDirectories(target);
            Path dataLink = target.resolve(DATA_DIR);
            Path oldTs = Files.isSymbolicLink(dataLink) ? target.resolve(Files.readSymbolicLink(dataLink)) : null;
            Set<String> oldPaths = oldTs == null ? Set.of() : filesUnder(oldTs);
            Set<String> gone = new TreeSet<>(oldPaths);
            gone.removeAll(clean.keySet());
            if (oldTs != null && gone.isEmpty() && !changed(clean, oldTs) && visibleFilesExist(clean.keySet())) {
                return false;
            }
            Path ts = createTimestampDir();
            writePayload(clean, ts);
            Path tmpLink = target.resolve(NEW_DATA_DIR);
            Files.deleteIfExists(tmpLink);
            Files.createSymbolicLink(tmpLink, ts.getFileName());
            // rename(2) replaces the old link in one step: readers see the old directory or the new one.
            Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE);
            createVisibleLinks(clean.keySet());
            removeVisibleLinks(topLevel(gone), topLevel(clean.keySet()));
            if (oldTs != null && !oldTs.equals(ts)) {
                deleteTree(oldTs);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("writing volume files in " + target + ": " + e.getMessage(), e);
        }
    }

    /** The kubelet's validatePath: the reasons a projected path is refused. */
    public static void validatePath(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("invalid path: must not be empty: \"" + path + "\"");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("invalid path: must be relative path: " + path);
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException("invalid path: must be less than or equal to " + MAX_PATH_LENGTH + " characters");
        }
        String[] items = path.split("/", -1);
        for (String item : items) {
            if (item.equals("..")) {
                throw new IllegalArgumentException("invalid path: must not contain '..': " + path);
            }
            if (item.length() > MAX_FILE_NAME_LENGTH) {
                throw new IllegalArgumentException("invalid path: filenames must be less than or equal to " + MAX_FILE_NAME_LENGTH + " characters");
            }
        }
        if (items[0].startsWith("..") && items[0].length() > 2) {
            throw new IllegalArgumentException("invalid path: must not start with '..': " + path);
        }
    }

    private boolean changed(Map<String, FileProjection> payload, Path oldTs) throws IOException {
        for (var e : payload.entrySet()) {
            Path file = oldTs.resolve(e.getKey());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !Arrays.equals(Files.readAllBytes(file), e.getValue().data())
                    || mode(file) != (e.getValue().mode() & 0777)) {
                return true;
            }
        }
        return false;
    }

    private boolean visibleFilesExist(Set<String> paths) {
        return topLevel(paths).stream().allMatch(top -> Files.exists(target.resolve(top), LinkOption.NOFOLLOW_LINKS));
    }

    private Path createTimestampDir() throws IOException {
        String prefix = ".." + STAMP.format(clock.instant()) + ".";
        while (true) {
            Path dir = target.resolve(prefix + Math.abs(ThreadLocalRandom.current().nextLong() % 1_000_000_000L));
            try {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                return dir;
            } catch (FileAlreadyExistsException retry) {
                // another random suffix
            }
        }
    }

    private static void writePayload(Map<String, FileProjection> payload, Path dir) throws IOException {
        for (var e : payload.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Path parent = file.getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                for (Path p = parent; !p.equals(dir); p = p.getParent()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Files.write(file, e.getValue().data());
            Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
        }
    }

    private void createVisibleLinks(Set<String> paths) throws IOException {
        for (String top : topLevel(paths)) {
            Path visible = target.resolve(top);
            if (!Files.exists(visible, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(visible, Path.of(DATA_DIR, top));
            }
        }
    }

    private void removeVisibleLinks(Set<String> gone, Set<String> kept) throws IOException {
        for (String top : gone) {
            if (!kept.contains(top)) {
                Files.deleteIfExists(target.resolve(top));
            }
        }
    }

    private static Set<String> topLevel(Set<String> paths) {
        Set<String> tops = new TreeSet<>();
        for (String p : paths) {
            int slash = p.indexOf('/');
            tops.add(slash < 0 ? p : p.substring(0, slash));
        }
        return tops;
    }

    private static Set<String> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> out.add(dir.relativize(p).toString()));
        }
        return out;
    }

    static int mode(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = new HashSet<>();
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** Deletes a directory tree without following symlinks. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
                for (Path child : children) {
                    deleteTree(child);
                }
            }
        }
        Files.delete(root);
    }
}
