package io.capstan.runtime.process;

import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.RuntimeFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A root filesystem that shows the host's: runc cannot use "/" itself as a root (pivot_root of "/" is busy),
 * so the root is an empty directory into which every top-level directory of the host is bound, with the
 * host's top-level symlinks (/lib to usr/lib) copied, much as Nomad's exec driver builds its chroot.
 * /proc, /sys and /dev are the container's own, as in any container.
 */
final class HostRoot {

    private static final Set<String> OWN = Set.of("proc", "sys", "dev");

    private final Path dir;
    private final Path host;

    HostRoot(Path dir, Path host) {
        this.dir = dir;
        this.host = host;
    }

    /** Creates the directory and mirrors the host's top-level symlinks into it. */
    Path prepare() {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(host)) {
                for (Path entry : entries.toList()) {
                    Path mirror = dir.resolve(entry.getFileName().toString());
                    if (Files.isSymbolicLink(entry) && !Files.exists(mirror, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(mirror, Files.readSymbolicLink(entry));
                    }
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot prepare the host root " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** A bind mount of each of the host's top-level directories, read-only when the container's root must be. */
    List<ContainerSpec.Mount> mounts(boolean readOnly) {
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        try (Stream<Path> entries = Files.list(host)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!OWN.contains(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    mounts.add(new ContainerSpec.Mount("/" + name, "bind", entry.toString(), List.of("rbind", readOnly ? "ro" : "rw")));
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot list the host's root: " + e.getMessage(), e);
        }
        return mounts;
    }
}
