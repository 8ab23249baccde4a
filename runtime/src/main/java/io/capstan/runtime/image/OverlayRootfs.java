package io.capstan.runtime.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Containers' root filesystems: an overlay of an image's layers (top first) under a writable upper directory
 * of the container's own, mounted at ROOT/containers/ID/merged. The file ROOT/containers/ID/image records
 * which image each one uses, so garbage collection spares it. Whether a root is mounted is read from
 * /proc/self/mountinfo, which survives a restart of the agent as the mounts do.
 */
final class OverlayRootfs {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path root;
    private final Path containers;

    OverlayRootfs(Path root) {
        this.root = root;
        this.containers = root.resolve("containers");
    }

    static void checkId(String containerId) {
        if (containerId == null || !ID.matcher(containerId).matches()) {
            throw new ImageException(ImageException.Kind.INVALID, "invalid container id \"" + containerId + "\"");
        }
    }

    Path merged(String containerId) {
        return containers.resolve(containerId).resolve("merged");
    }

    boolean isMounted(String containerId) throws IOException {
        Path merged = merged(containerId);
        if (!Files.isDirectory(merged)) {
            return false;
        }
        String target = merged.toRealPath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescape(f[4]).equals(target)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Mounts the overlay. The lower directories are given relative to the store's root (the mount runs there),
     * so their length does not grow with the store's path.
     */
    Path mount(String containerId, String imageId, List<String> lowersTopFirst) throws IOException {
        Path dir = containers.resolve(containerId);
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("merged"));
        Files.writeString(dir.resolve("image"), imageId);
        List<String> lowers = new ArrayList<>(lowersTopFirst);
        if (lowers.isEmpty()) {
            Files.createDirectories(root.resolve("l").resolve("empty"));
            lowers.add("l/empty");
        }
        String rel = "containers/" + containerId;
        String options = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + rel + "/upper,workdir=" + rel + "/work";
        if (options.length() > 4000) {
            throw new IOException("image has too many layers (" + lowers.size() + ") for one overlay mount");
        }
        try {
            Commands.run(root, List.of("mount", "-t", "overlay", "overlay", "-o", options, rel + "/merged"));
        } catch (IOException e) {
            Trees.delete(dir); // no record left behind to pin the image
            throw e;
        }
        return merged(containerId);
    }

    /** Unmounts (lazily if busy) and deletes a container's root; unknown ids are ignored. */
    void release(String containerId) throws IOException {
        Path dir = containers.resolve(containerId);
        if (isMounted(containerId)) {
            try {
                Commands.run(null, List.of("umount", merged(containerId).toString()));
            } catch (IOException busy) {
                Commands.run(null, List.of("umount", "-l", merged(containerId).toString()));
            }
            if (isMounted(containerId)) {
                throw new IOException("root filesystem of container " + containerId + " is still mounted");
            }
        }
        Trees.delete(dir);
    }

    /** Container id to the image id its root was prepared from. */
    Map<String, String> imagesInUse() {
        Map<String, String> out = new HashMap<>();
        if (!Files.isDirectory(containers)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(containers)) {
            for (Path d : dirs.toList()) {
                Path f = d.resolve("image");
                if (Files.isRegularFile(f)) {
                    out.put(d.getFileName().toString(), Files.readString(f).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
