package io.capstan.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Removes what a node agent run from a throw-away data directory (a benchmark's, an e2e test's) may leave when
 * the run fails before its pods are deleted: containers (runc under DATA/agent/runtime/runc), mounts under DATA,
 * the pod bridge, its iptables chains (routing, NetworkPolicy) and the cgroups, so the next run and the temporary directory's deletion find a clean machine.
 */
public final class NodeLeftovers {

    private NodeLeftovers() {}

    public static void clean(Path dataDir, String bridge, String cgroupRoot) {
        runcContainers(dataDir.resolve("agent/runtime/runc"));
        for (String mount : mountsUnder(dataDir)) {
            run("umount", "-l", mount);
        }
        run("ip", "link", "del", bridge);
        io.capstan.network.routes.PodNetworkRouting.removeRules(bridge);
        cgroups(cgroupRoot);
        try {
            io.capstan.network.iptables.Iptables.find().ifPresent(ipt -> io.capstan.network.policy.NetworkPolicyAgent.removeLeftovers(ipt, bridge));
        } catch (RuntimeException e) {
            // no rules of this bridge's agent, or iptables refused: nothing more to do
        }
    }

    /** Force-deletes every container runc keeps under this state root ({@code runc --root}). */
    static void runcContainers(Path runcRoot) {
        if (Files.isDirectory(runcRoot)) {
            try (var ids = Files.list(runcRoot)) {
                for (Path id : ids.toList()) {
                    run("runc", "--root", runcRoot.toString(), "delete", "--force", id.getFileName().toString());
                }
            } catch (IOException e) {
                // nothing listed, nothing to delete
            }
        }
    }

    /** Removes the cgroup {@code root} (a path below each hierarchy's top) and everything below it, in every hierarchy. */
    static void cgroups(String root) {
        for (String hierarchy : List.of("cpu", "cpuacct", "memory", "pids", "cpuset", "devices", "freezer", "blkio", "systemd", "unified", "")) {
            Path dir = Path.of("/sys/fs/cgroup", hierarchy, root);
            if (Files.isDirectory(dir)) {
                try (var walk = Files.walk(dir)) {
                    walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(d -> d.toFile().delete());
                } catch (IOException e) {
                    // a busy cgroup stays; it holds no files of the run
                }
            }
        }
    }

    /** Mount points at or below dir, deepest first (from /proc/self/mountinfo). */
    private static List<String> mountsUnder(Path dir) {
        List<String> mounts = new ArrayList<>();
        try {
            String prefix = dir.toRealPath().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String point = line.split(" ")[4];
                if (point.startsWith(prefix)) {
                    mounts.add(point);
                }
            }
        } catch (IOException e) {
            return mounts;
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        return mounts;
    }

    private static void run(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the tool is missing: nothing of it to clean
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
