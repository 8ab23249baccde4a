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


    /** Why a container is not running: Kubernetes' waiting reason and message. */
    record Waiting(String reason, String message) {}

    final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    /** When something last failed that backs off: a container's image pull (by container name) or the sandbox ("sandbox"). */
    final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    /** The kubelet's back-off (10 s doubling to 5 min, forgotten after 10 min without failure), per key. */
    final RestartBackOff backOff;
    final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    final Map<String, String> imageIds = new ConcurrentHashMap<>();
    volatile String podIp;
    /** The pod's runtime handler (from its RuntimeClass), null for the node's default. */
    volatile String handler;
    /** The pod's volumes once set up, by name, and its /etc/hosts, resolv.conf and hostname files. */
    volatile Map<String, io.capstan.agent.volumes.MountedVolume> volumes;
    volatile io.capstan.agent.volumes.PodFiles files;

    /**
     * Whether {@code key} (a container; "pull:" and a container; "sandbox"; "volumes") is still backing off from a
     * failure at {@code since}.
     */
    boolean inBackOff(String key, Instant since) {
        return since != null && backOff.restartAt(key, since).isPresent();
    }

    /** Records a failure of key at {@code at} (the finish of a container, a failed pull): its back-off moves on. */
    void failed(String key, Instant at) {
        failedAt.put(key, at);
        backOff.tryRestart(key, at);
    }

    /** The current back-off of key (10 s when there is none yet). */
    Duration current(String key) {
        Duration d = backOff.current(key);
        return d.isZero() ? RestartBackOff.INITIAL : d;
    }

    PodState(java.time.InstantSource clock) {
        this.backOff = new RestartBackOff(clock);
    }
}
