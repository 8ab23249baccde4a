package io.capstan.agent.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent remembers of one pod between passes and the runtime cannot tell: why a container is
 * waiting, its back-off, its readiness and the pod's IP. Lost on restart, as the kubelet's is; the runtime's
 * containers carry the rest.
 */
final class PodState {

    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** Why a container is not running: Kubernetes' waiting reason and message. */
    record Waiting(String reason, String message) {}

    final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    /** When something last failed that backs off: a container's image pull (by container name) or the sandbox ("sandbox"). */
    final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    final Map<String, Duration> backOff = new ConcurrentHashMap<>();
    final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    final Map<String, String> imageIds = new ConcurrentHashMap<>();
    volatile String podIp;
    /** The pod's volumes once set up, by name, and its /etc/hosts, resolv.conf and hostname files. */
    volatile Map<String, io.capstan.agent.volumes.MountedVolume> volumes;
    volatile io.capstan.agent.volumes.PodFiles files;

    /**
     * Whether {@code key} (a container, or "pull:" and a container) is still backing off from a failure at
     * {@code since}, as client-go's Backoff.IsInBackOffSince.
     */
    boolean inBackOff(String key, Instant since, Instant now) {
        Duration d = backOff.get(key);
        return d != null && since != null && now.isBefore(since.plus(d));
    }

    /** The current back-off of key (10 s when none yet). */
    Duration current(String key) {
        return backOff.getOrDefault(key, INITIAL_BACKOFF);
    }

    /** Moves key's back-off on: 10 s the first time, then doubling up to five minutes (Backoff.Next). */
    void next(String key) {
        backOff.merge(key, INITIAL_BACKOFF, (old, x) -> min(old.multipliedBy(2), MAX_BACKOFF));
    }

    /** The kubelet forgets a back-off once the container has run cleanly for ten minutes (twice the maximum). */
    void resetIfStable(String container, Instant startedAt, Instant now) {
        if (startedAt != null && Duration.between(startedAt, now).compareTo(MAX_BACKOFF.multipliedBy(2)) > 0) {
            backOff.remove(container);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
