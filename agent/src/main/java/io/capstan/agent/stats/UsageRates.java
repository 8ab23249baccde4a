package io.capstan.agent.stats;

import io.capstan.runtime.ResourceUsage;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU rates from cumulative readings, as cAdvisor derives usageNanoCores: the CPU time used between the two
 * latest readings of a container over the time between them. Readings closer than {@link #MIN_WINDOW} to the
 * latest one are not kept (a rate over a few milliseconds says nothing), so frequent askers share one window.
 */
final class UsageRates {

    /** The shortest window a rate is measured over. */
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);

    /** What is known of one container: its two latest kept readings (previous is null at first). */
    record Window(ResourceUsage previous, ResourceUsage latest) {

        /** Nanocores used between the readings; empty until there are two, or when the counter went back (a reset). */
        OptionalLong nanoCores() {
            if (previous == null) {
                return OptionalLong.empty();
            }
            long elapsed = Duration.between(previous.at(), latest.at()).toNanos();
            long used = latest.cpuUsageNanos() - previous.cpuUsageNanos();
            if (elapsed <= 0 || used < 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.round(used * 1e9 / elapsed));
        }

        /** How long the rate is measured over (zero until there are two readings). */
        Duration length() {
            return previous == null ? Duration.ZERO : Duration.between(previous.at(), latest.at());
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Takes a reading of {@code key} (a container id, or "node") and returns its window afterwards. */
    Window record(String key, ResourceUsage reading) {
        return windows.compute(key, (k, w) -> {
            if (w == null) {
                return new Window(null, reading);
            }
            if (Duration.between(w.latest().at(), reading.at()).compareTo(MIN_WINDOW) < 0) {
                return w;
            }
            return new Window(w.latest(), reading);
        });
    }

    /** Forgets every key not in {@code live} (containers that are gone). */
    void retain(Set<String> live) {
        windows.keySet().retainAll(live);
    }
}
