package io.capstan.controllers;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' controller expectations: after asking for N creations or deletions, a controller
 * does not act on the same key again until its cache has seen them (or five minutes pass), so a
 * lagging cache never makes it create the same pods twice.
 */
public final class Expectations {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, int deletes, long since) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public void expect(String key, int adds, int deletes) {
        pending.put(key, new Pending(adds, deletes, System.nanoTime()));
    }

    /** The cache saw one of the key's creations (or a creation failed and will never be seen). */
    public void creationObserved(String key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds - 1, p.deletes, p.since));
    }

    public void deletionObserved(String key) {
        pending.computeIfPresent(key, (k, p) -> new Pending(p.adds, p.deletes - 1, p.since));
    }

    /** Whether the controller may act on the key: nothing is outstanding, or the wait has timed out. */
    public boolean satisfied(String key) {
        Pending p = pending.get(key);
        return p == null || (p.adds <= 0 && p.deletes <= 0) || System.nanoTime() - p.since > TIMEOUT.toNanos();
    }

    public void forget(String key) {
        pending.remove(key);
    }
}
