package io.capstan.agent.pods;

import io.capstan.agent.probes.ContainerProbes;
import io.capstan.agent.probes.ContainerSnapshot;
import io.capstan.agent.probes.ProbeListener;
import io.capstan.agent.probes.ProbeScheduler;
import io.capstan.agent.probes.Prober;
import io.fabric8.kubernetes.api.model.Container;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The probe workers of every running container on the node, one set per container instance, started and stopped by the pod sync. */
final class PodProbes {

    private final Prober prober;
    private final ProbeScheduler scheduler;
    private final InstantSource clock;
    private final Map<String, ContainerProbes> byContainer = new ConcurrentHashMap<>();
    private final LifecycleHooks hooks;

    PodProbes(Prober prober, ProbeScheduler scheduler, InstantSource clock) {
        this.prober = prober;
        this.hooks = new LifecycleHooks(prober);
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** postStart and preStop, which run through the same checks. */
    LifecycleHooks hooks() {
        return hooks;
    }

    /** Starts probing a container instance (once); a container without probes needs nothing. */
    void ensure(String containerId, Container container, Supplier<ContainerSnapshot> target, ProbeListener listener) {
        if (container.getLivenessProbe() == null && container.getReadinessProbe() == null && container.getStartupProbe() == null) {
            return;
        }
        byContainer.computeIfAbsent(containerId, id -> {
            ContainerProbes probes = new ContainerProbes(container, target, prober, scheduler, clock, listener);
            probes.start();
            return probes;
        });
    }

    /** Stops the probes of container instances not in {@code live} among those of {@code candidates}. */
    void retain(Set<String> candidates, Set<String> live) {
        for (String id : candidates) {
            if (!live.contains(id)) {
                stop(id);
            }
        }
    }

    void stop(String containerId) {
        ContainerProbes probes = byContainer.remove(containerId);
        if (probes != null) {
            probes.stop();
        }
    }

    /** Whether a container's startup probe has succeeded (true without one). */
    boolean started(String containerId) {
        ContainerProbes probes = byContainer.get(containerId);
        return probes == null || probes.started();
    }
}
