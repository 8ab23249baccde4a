package io.capstan.runtime.oci;

import io.capstan.runtime.RuntimeFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a sandbox's network, IPC and UTS namespaces alive without a process, as CRI-O's pinns does: util-linux
 * {@code unshare --net=FILE} bind-mounts each new namespace onto a file. The files live in one directory that is
 * a bind mount of itself with shared propagation (as {@code ip netns} does with /run/netns), so that unmounting a
 * file here also unmounts the copies inside containers' mount namespaces, and the namespace really goes away.
 * The same command sets the hostname inside the UTS namespace and brings loopback up in the network one.
 */
final class PinnedNamespaces {

    /** The namespace files of one sandbox; null for one shared with the host. */
    record Pins(Path net, Path ipc, Path uts) {}

    private final Path dir;

    PinnedNamespaces(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** Creates the namespaces that are not shared with the host, and pins them under the sandbox's id. */
    Pins pin(String sandboxId, String hostname, boolean hostNetwork, boolean hostIpc) {
        if (hostNetwork && hostIpc) {
            return new Pins(null, null, null);
        }
        ensureSharedMount();
        // Kubernetes gives a host-network pod the host's UTS namespace too (its hostname is the node's).
        Pins pins = new Pins(hostNetwork ? null : dir.resolve(sandboxId + "-net"), hostIpc ? null : dir.resolve(sandboxId + "-ipc"),
                hostNetwork ? null : dir.resolve(sandboxId + "-uts"));
        List<String> argv = new ArrayList<>(List.of("unshare"));
        try {
            for (Path file : files(pins)) {
                Files.deleteIfExists(file);
                Files.createFile(file);
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create namespace files for sandbox " + sandboxId + ": " + e.getMessage(), e);
        }
        if (pins.net() != null) {
            argv.add("--net=" + pins.net());
        }
        if (pins.ipc() != null) {
            argv.add("--ipc=" + pins.ipc());
        }
        if (pins.uts() != null) {
            argv.add("--uts=" + pins.uts());
        }
        String setup = pins.net() != null
                ? "echo \"$1\" > /proc/sys/kernel/hostname && if command -v ip >/dev/null; then ip link set lo up; fi"
                : "true";
        argv.addAll(List.of("--", "/bin/sh", "-c", setup, "sh", hostname == null ? sandboxId : hostname));
        Commands.Result result = Commands.run(argv);
        if (!result.ok()) {
            unpin(pins);
            throw new RuntimeFailure("cannot create the namespaces of sandbox " + sandboxId + ": " + result.message());
        }
        return pins;
    }

    /** Unmounts and deletes the namespace files; files that are already gone are ignored. */
    void unpin(Pins pins) {
        for (Path file : files(pins)) {
            if (isMountPoint(file)) {
                Commands.Result result = Commands.run(List.of("umount", file.toString()));
                if (!result.ok()) {
                    Commands.run(List.of("umount", "-l", file.toString()));
                }
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new RuntimeFailure("cannot delete namespace file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private synchronized void ensureSharedMount() {
        if (isMountPoint(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Commands.check("cannot bind-mount " + dir, List.of("mount", "--bind", dir.toString(), dir.toString()));
        Commands.check("cannot make " + dir + " private", List.of("mount", "--make-private", dir.toString()));
        Commands.check("cannot make " + dir + " shared", List.of("mount", "--make-shared", dir.toString()));
    }

    static boolean isMountPoint(Path path) {
        String target = path.toAbsolutePath().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The state root's own mount of the namespace directory, for tests and a full teardown. */
    void unmountDirectory() {
        if (isMountPoint(dir)) {
            Commands.run(List.of("umount", "-l", dir.toString()));
        }
    }

    private static List<Path> files(Pins pins) {
        List<Path> files = new ArrayList<>();
        for (Path file : new Path[] {pins.net(), pins.ipc(), pins.uts()}) {
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
