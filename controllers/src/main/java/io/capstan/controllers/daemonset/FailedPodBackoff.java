package io.capstan.controllers.daemonset;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The back-off between deleting failed daemon pods on one node (1 s doubling to 15 min, as
 * Kubernetes' failedPodsBackoff), so a node that keeps rejecting the pod is not hot-looped.
 */
final class FailedPodBackoff {

    private static final Duration INITIAL = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofMinutes(15);

    private record Entry(Duration delay, Instant last) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** How long the key must still wait, or null when it may act now (which starts its next wait). */
    Duration waitFor(String key, Instant now) {
        Entry e = entries.get(key);
        if (e != null && now.isBefore(e.last().plus(e.delay()))) {
            return Duration.between(now, e.last().plus(e.delay()));
        }
        boolean expired = e == null || now.isAfter(e.last().plus(MAX.multipliedBy(2)));
        Duration next = expired ? INITIAL : (e.delay().multipliedBy(2).compareTo(MAX) > 0 ? MAX : e.delay().multipliedBy(2));
        entries.put(key, new Entry(next, now));
        return null;
    }
}
