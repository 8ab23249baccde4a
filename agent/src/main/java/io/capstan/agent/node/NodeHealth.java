package io.capstan.agent.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the node's conditions say, read honestly: memory, disk and PID pressure by the kubelet's default
 * hard eviction thresholds (memory.available &lt; 100Mi, nodefs.available &lt; 10%, fewer than 10% of PIDs free),
 * and why the node cannot run pods, if it cannot.
 */
public record NodeHealth(boolean memoryPressure, boolean diskPressure, boolean pidPressure, Optional<String> notReadyReason) {

    static final long MEMORY_THRESHOLD = 100L * 1024 * 1024;

    /** Reads /proc and the data directory's file system; {@code notReady} is the runtime's complaint, if any. */
    public static NodeHealth read(Path dataDir, Optional<String> notReady) {
        return new NodeHealth(memAvailable() < MEMORY_THRESHOLD, diskLow(dataDir), pidsLow(), notReady);
    }

    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: no pressure claimed
        }
        return Long.MAX_VALUE;
    }

    private static boolean diskLow(Path dataDir) {
        try {
            var store = Files.getFileStore(dataDir);
            return store.getTotalSpace() > 0 && store.getUsableSpace() * 10 < store.getTotalSpace();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean pidsLow() {
        try {
            // readAllLines, not readString: some kernels give sysctl files a size that cuts readString short.
            long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst().trim());
            String[] load = Files.readAllLines(Path.of("/proc/loadavg")).getFirst().trim().split("\\s+");
            long used = Long.parseLong(load[3].substring(load[3].indexOf('/') + 1));
            return (max - used) * 10 < max;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
