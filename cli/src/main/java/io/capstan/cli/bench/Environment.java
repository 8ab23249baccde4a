package io.capstan.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The machine a benchmark ran on, and how busy it was: figures mean little without it. */
final class Environment {

    private Environment() {}

    static String describe() {
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format("%s: %d cores, %.0f GiB, Java %s, %s; %s", Instant.now(), Runtime.getRuntime().availableProcessors(),
                memory / (1024.0 * 1024 * 1024), Runtime.version(), System.getProperty("os.name"), load());
    }

    /** The load average and CPU pressure (share of time runnable tasks waited for a CPU) over the last minute. */
    static String load() {
        return "load average " + first(Path.of("/proc/loadavg"), 3) + ", CPU pressure " + pressure();
    }

    private static String first(Path file, int words) {
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            return String.join(" ", java.util.Arrays.copyOf(parts, Math.min(words, parts.length)));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String pressure() {
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).getFirst();
            return some.replaceAll(".*avg60=([0-9.]+).*", "$1") + "% (avg60)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
