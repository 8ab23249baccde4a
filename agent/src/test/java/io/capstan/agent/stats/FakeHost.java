package io.capstan.agent.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A procfs with only stat and meminfo, whose CPU ticks a test moves on. */
final class FakeHost {

    private FakeHost() {}

    /** Writes /proc/stat with this many non-idle ticks (user) and a fixed meminfo. */
    static void write(Path proc, long userTicks) throws IOException {
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("stat"), "cpu  " + userTicks + " 0 0 5000 7 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nbtime 1700000000\n");
        Files.writeString(proc.resolve("meminfo"), """
                MemTotal:        8000000 kB
                MemFree:         3000000 kB
                MemAvailable:    6000000 kB
                Inactive(file):  1000000 kB
                HugePages_Total:       0
                """);
    }
}
