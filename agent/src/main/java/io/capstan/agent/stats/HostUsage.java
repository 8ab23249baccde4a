package io.capstan.agent.stats;

import io.capstan.runtime.ResourceUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole machine's CPU and memory, from /proc/stat and /proc/meminfo: CPU time is every non-idle jiffy of
 * the "cpu" line; the working set is used memory less inactive file pages, as the kubelet counts it for a node.
 */
public final class HostUsage {

    /** USER_HZ: /proc/stat counts in hundredths of a second on every Linux architecture we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** A reading of the machine, with what the summary adds for a node. */
    public record Reading(ResourceUsage usage, long usageBytes, long availableBytes) {}

    private final Path proc;
    private final InstantSource clock;

    /** @param proc where procfs is mounted, normally /proc */
    public HostUsage(Path proc, InstantSource clock) {
        this.proc = proc;
        this.clock = clock;
    }

    public static HostUsage system() {
        return new HostUsage(Path.of("/proc"), InstantSource.system());
    }

    public Reading read() {
        try {
            long cpu = cpuNanos(Files.readAllLines(proc.resolve("stat")));
            Map<String, Long> mem = meminfo(Files.readAllLines(proc.resolve("meminfo")));
            long total = mem.getOrDefault("MemTotal", 0L);
            long used = total - mem.getOrDefault("MemFree", 0L);
            long workingSet = Math.max(0, used - mem.getOrDefault("Inactive(file)", 0L));
            long available = mem.getOrDefault("MemAvailable", total - used);
            return new Reading(new ResourceUsage(clock.instant(), cpu, workingSet), used, available);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc, e);
        }
    }

    /** user nice system idle iowait irq softirq steal …: all but idle and iowait, in nanoseconds. */
    static long cpuNanos(List<String> stat) {
        for (String line : stat) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long ticks = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    if (i != 4 && i != 5) {
                        ticks += Long.parseLong(f[i]);
                    }
                }
                return ticks * NANOS_PER_TICK;
            }
        }
        throw new IllegalStateException("no cpu line in /proc/stat");
    }

    /** meminfo's "Name:   123 kB" lines, in bytes. */
    static Map<String, Long> meminfo(List<String> lines) {
        Map<String, Long> values = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            long n = Long.parseLong(value[0]);
            values.put(line.substring(0, colon), value.length > 1 && value[1].equals("kB") ? n * 1024 : n);
        }
        return values;
    }
}
