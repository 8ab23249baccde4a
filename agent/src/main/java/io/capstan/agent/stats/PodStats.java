package io.capstan.agent.stats;

import io.capstan.runtime.ResourceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** The pods this node runs and a fresh cgroup reading of each running container; the pod workers implement it. */
public interface PodStats {

    /** One running container and its reading (cumulative CPU time, memory working set). */
    record ContainerReading(String name, String id, Instant startedAt, ResourceUsage usage) {}

    /** A pod with its running containers; a pod whose containers all stopped has none. */
    record PodReading(String namespace, String name, String uid, Instant startedAt, List<ContainerReading> containers) {

        public PodReading {
            containers = List.copyOf(containers);
        }
    }

    /** No pods: for agents that run none (and tests of other things). */
    PodStats NONE = List::of;

    /** Every pod bound to this node that the runtime has containers of, read now. */
    List<PodReading> pods();

    /** Calls back once for each pod when the agent first sees it running, with how long that took from when it first saw the pod. */
    default void onPodStarted(Consumer<Duration> listener) {}
}
