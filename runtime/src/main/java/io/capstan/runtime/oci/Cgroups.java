package io.capstan.runtime.oci;

import io.capstan.runtime.ResourceUsage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's cgroup hierarchies, v1 (one mount per controller, as here) or v2 (one unified tree, detected by
 * {@code /sys/fs/cgroup/cgroup.controllers}): creates and removes a sandbox's directories, moves a process
 * into one, and reads a container's CPU and memory. Paths are relative to each hierarchy's root, as in
 * an OCI spec's {@code cgroupsPath}.
 */
final class Cgroups {

    private final boolean v2;
    private final Path unifiedRoot;
    private final List<Path> hierarchies;

    Cgroups(boolean v2, Path unifiedRoot, List<Path> hierarchies) {
        this.v2 = v2;
        this.unifiedRoot = unifiedRoot;
        this.hierarchies = List.copyOf(hierarchies);
    }

    /** Reads the mounted hierarchies from /proc/self/mountinfo. */
    static Cgroups detect() {
        Path sys = Path.of("/sys/fs/cgroup");
        if (Files.exists(sys.resolve("cgroup.controllers"))) {
            return new Cgroups(true, sys, List.of(sys));
        }
        List<Path> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // "36 25 0:31 / /sys/fs/cgroup/memory rw,... - cgroup cgroup rw,memory"
                String[] halves = line.split(" - ", 2);
                if (halves.length == 2 && (halves[1].startsWith("cgroup ") || halves[1].startsWith("cgroup2 "))) {
                    mounts.add(Path.of(halves[0].split(" ")[4]));
                }
            }
        } catch (IOException e) {
            // No mountinfo: no cgroups to manage.
        }
        return new Cgroups(false, sys, mounts);
    }

    boolean v2() {
        return v2;
    }

    /** Whether memory+swap can be limited (v1 without swap accounting cannot). */
    boolean memorySwap() {
        return v2 ? true : Files.exists(controller("memory").resolve("memory.memsw.limit_in_bytes"));
    }

    /** Creates the directory in every hierarchy; on v2 also enables the controllers for its children. */
    void create(String path) {
        for (Path hierarchy : hierarchies) {
            try {
                Files.createDirectories(resolve(hierarchy, path));
            } catch (IOException e) {
                // A hierarchy we may not write (a named one) is not needed by runc.
            }
        }
        if (v2) {
            enableControllers(path);
        }
    }

    /** Moves a process into the cgroup in every hierarchy where it may go; best effort (cpuset needs cpus set first). */
    void attach(long pid, String path) {
        for (Path hierarchy : hierarchies) {
            if (hierarchy.getFileName().toString().contains("cpuset")) {
                continue;
            }
            try {
                Path dir = resolve(hierarchy, path);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
            } catch (IOException e) {
                // Leaving conmon where it was only costs the accounting.
            }
        }
    }

    /** Removes the directory and what is below it, deepest first, in every hierarchy; true when nothing is left. */
    boolean remove(String path) {
        boolean gone = true;
        for (Path hierarchy : hierarchies) {
            Path dir = resolve(hierarchy, path);
            if (Files.isDirectory(dir)) {
                gone &= removeTree(dir);
            }
        }
        return gone;
    }

    /** Whether a directory for the path exists in any hierarchy. */
    boolean exists(String path) {
        return hierarchies.stream().anyMatch(h -> Files.isDirectory(resolve(h, path)));
    }

    /** CPU time and memory working set (usage less inactive file pages, as cAdvisor counts it). */
    Optional<ResourceUsage> usage(String path) {
        try {
            long cpu;
            long usage;
            long inactive;
            if (v2) {
                Path dir = resolve(unifiedRoot, path);
                cpu = statValue(dir.resolve("cpu.stat"), "usage_usec") * 1000;
                usage = Long.parseLong(Files.readString(dir.resolve("memory.current")).strip());
                inactive = statValue(dir.resolve("memory.stat"), "inactive_file");
            } else {
                cpu = Long.parseLong(Files.readString(resolve(controller("cpuacct"), path).resolve("cpuacct.usage")).strip());
                Path memory = resolve(controller("memory"), path);
                usage = Long.parseLong(Files.readString(memory.resolve("memory.usage_in_bytes")).strip());
                inactive = statValue(memory.resolve("memory.stat"), "total_inactive_file");
            }
            return Optional.of(new ResourceUsage(Instant.now(), cpu, Math.max(0, usage - inactive)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path controller(String name) {
        for (Path hierarchy : hierarchies) {
            for (String part : hierarchy.getFileName().toString().split(",")) {
                if (part.equals(name)) {
                    return hierarchy;
                }
            }
        }
        return unifiedRoot.resolve(name);
    }

    private void enableControllers(String path) {
        List<String> wanted;
        try {
            wanted = List.of(Files.readString(unifiedRoot.resolve("cgroup.controllers")).strip().split("\\s+")).stream()
                    .filter(c -> List.of("cpu", "cpuset", "io", "memory", "pids").contains(c)).toList();
        } catch (IOException e) {
            return;
        }
        Path dir = unifiedRoot;
        for (String part : relative(path).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            for (String controller : wanted) {
                try {
                    // One at a time: a single write of several fails whole when one of them cannot be enabled.
                    Files.writeString(dir.resolve("cgroup.subtree_control"), "+" + controller);
                } catch (IOException e) {
                    // runc enables what it needs itself; this only makes the sandbox's own files appear early.
                }
            }
            dir = dir.resolve(part);
        }
    }

    private static boolean removeTree(Path dir) {
        try (var children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                removeTree(child);
            }
        } catch (IOException e) {
            return false;
        }
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long statValue(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[0].equals(key)) {
                return Long.parseLong(parts[1]);
            }
        }
        return 0;
    }

    private static Path resolve(Path hierarchy, String path) {
        return hierarchy.resolve(relative(path));
    }

    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
