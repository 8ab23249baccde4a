package io.capstan.agent.probes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The probes of one container (startup, liveness, readiness), and what they make of it: started once its startup
 * probe succeeded (at once when it has none), ready once started and its readiness probe succeeded (at once when it
 * has none). Start it when the container is created; stop it when the pod is gone.
 */
public final class ContainerProbes {

    private final Map<ProbeType, ProbeWorker> workers = new EnumMap<>(ProbeType.class);
    private final Supplier<ContainerSnapshot> target;

    /**
     * @param target the container as it is now, read before every attempt
     * @param prober runs the checks
     */
    public ContainerProbes(Container container, Supplier<ContainerSnapshot> target, Prober prober, ProbeScheduler scheduler,
                           InstantSource clock, ProbeListener listener) {
        this.target = target;
        add(ProbeType.STARTUP, container.getStartupProbe(), container, prober, scheduler, clock, listener);
        add(ProbeType.LIVENESS, container.getLivenessProbe(), container, prober, scheduler, clock, listener);
        add(ProbeType.READINESS, container.getReadinessProbe(), container, prober, scheduler, clock, listener);
    }

    private void add(ProbeType type, Probe spec, Container container, Prober prober, ProbeScheduler scheduler, InstantSource clock,
                     ProbeListener listener) {
        if (spec != null) {
            workers.put(type, new ProbeWorker(container.getName(), type, spec, c -> prober.run(spec, container, c), target,
                    this::started, scheduler, clock, listener));
        }
    }

    public void start() {
        workers.values().forEach(ProbeWorker::start);
    }

    public void stop() {
        workers.values().forEach(ProbeWorker::stop);
    }

    /** Whether the current container has started: running, and its startup probe (if any) succeeded. */
    public boolean started() {
        ContainerSnapshot c = target.get();
        if (c == null || c.runningSince() == null) {
            return false;
        }
        ProbeWorker startup = workers.get(ProbeType.STARTUP);
        return startup == null || current(startup, c) == ProbeResult.SUCCESS;
    }

    /** Whether the current container is ready: started, and its readiness probe (if any) succeeded. */
    public boolean ready() {
        if (!started()) {
            return false;
        }
        ProbeWorker readiness = workers.get(ProbeType.READINESS);
        return readiness == null || current(readiness, target.get()) == ProbeResult.SUCCESS;
    }

    /** The standing result of one probe for the current container: its initial value before it first ran; null when the container has no such probe. */
    public ProbeResult result(ProbeType type) {
        ProbeWorker w = workers.get(type);
        return w == null ? null : current(w, target.get());
    }

    private static ProbeResult current(ProbeWorker worker, ContainerSnapshot c) {
        if (c == null || c.containerId() == null || !c.containerId().equals(worker.containerId())) {
            return ProbeWorker.initial(worker.type());
        }
        return worker.result();
    }
}
