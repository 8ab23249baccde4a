package io.capstan.agent.probes;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One probe of one container, timed as the kubelet's prober worker: it probes at once and then every periodSeconds;
 * nothing before initialDelaySeconds after the container started; liveness and readiness wait until the container
 * has started (its startup probe succeeded) and startup stops once it has; a result stands only after
 * successThreshold successes or failureThreshold failures in a row; after a liveness or startup failure the worker
 * holds until it sees a new container.
 */
final class ProbeWorker {

    private final String containerName;
    private final ProbeType type;
    private final Probe spec;
    private final Function<ContainerSnapshot, Outcome> check;
    private final Supplier<ContainerSnapshot> target;
    private final Supplier<Boolean> started;
    private final ProbeScheduler scheduler;
    private final InstantSource clock;
    private final ProbeListener listener;
    private final Duration period;

    private String containerId;
    private ProbeResult standing;
    private ProbeResult lastResult;
    private int resultRun;
    private boolean onHold;
    private boolean stopped;
    private ProbeScheduler.Scheduled next;
    // Results to announce once no lock is held, so a listener may ask other workers freely.
    private final List<ProbeResult> unannounced = new ArrayList<>();

    /**
     * @param started whether the container has started (startup probe passed, or there is none); ignored for startup
     * @param check runs one attempt against the container (the {@link Prober} with this probe's spec)
     */
    ProbeWorker(String containerName, ProbeType type, Probe spec, Function<ContainerSnapshot, Outcome> check,
                Supplier<ContainerSnapshot> target, Supplier<Boolean> started, ProbeScheduler scheduler, InstantSource clock,
                ProbeListener listener) {
        this.containerName = containerName;
        this.type = type;
        this.spec = spec;
        this.check = check;
        this.target = target;
        this.started = started;
        this.scheduler = scheduler;
        this.clock = clock;
        this.listener = listener;
        this.period = Duration.ofSeconds(positive(spec.getPeriodSeconds(), 10));
    }

    static ProbeResult initial(ProbeType type) {
        return switch (type) {
            case READINESS -> ProbeResult.FAILURE;
            case LIVENESS -> ProbeResult.SUCCESS;
            case STARTUP -> ProbeResult.UNKNOWN;
        };
    }

    synchronized void start() {
        next = scheduler.schedule(this::tick, Duration.ZERO);
    }

    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
        }
    }

    /** The standing result for the current container; null before there is one. */
    synchronized ProbeResult result() {
        return standing;
    }

    ProbeType type() {
        return type;
    }

    synchronized String containerId() {
        return containerId;
    }

    private void tick() {
        boolean keepGoing;
        try {
            keepGoing = probeOnce();
        } catch (RuntimeException e) {
            keepGoing = true;
        }
        announce();
        synchronized (this) {
            if (keepGoing && !stopped) {
                next = scheduler.schedule(this::tick, period);
            }
        }
    }

    /** The kubelet's doProbe; false when the worker should end. */
    private boolean probeOnce() {
        ContainerSnapshot c = target.get();
        if (c == null) {
            return true;
        }
        if (c.podTerminal()) {
            return false;
        }
        if (c.containerId() == null) {
            return true;
        }
        synchronized (this) {
            if (stopped) {
                return false;
            }
            if (!c.containerId().equals(containerId)) {
                containerId = c.containerId();
                set(initial(type));
                onHold = false;
                lastResult = null;
                resultRun = 0;
            }
            if (onHold) {
                return true;
            }
            if (c.runningSince() == null) {
                set(ProbeResult.FAILURE);
                return !c.terminated() || !c.restartNever();
            }
            if (c.podDeleting() && (type == ProbeType.LIVENESS || type == ProbeType.STARTUP)) {
                set(ProbeResult.SUCCESS);
                return false;
            }
        }
        if (Duration.between(c.runningSince(), clock.instant()).toSeconds() < positive(spec.getInitialDelaySeconds(), 0)) {
            return true;
        }
        boolean hasStarted = started.get();
        if (type == ProbeType.STARTUP ? hasStarted : !hasStarted) {
            return true;
        }
        Outcome outcome = check.apply(c);
        if (outcome.kind() != Outcome.Kind.SUCCESS) {
            listener.attempted(containerName, type, outcome);
        }
        if (outcome.kind() == Outcome.Kind.ERROR) {
            return true;
        }
        ProbeResult result = outcome.result();
        synchronized (this) {
            if (stopped || !c.containerId().equals(containerId)) {
                return !stopped;
            }
            if (result == lastResult) {
                resultRun++;
            } else {
                lastResult = result;
                resultRun = 1;
            }
            int failureThreshold = positive(spec.getFailureThreshold(), 3);
            int successThreshold = positive(spec.getSuccessThreshold(), 1);
            if ((result == ProbeResult.FAILURE && resultRun < failureThreshold)
                    || (result == ProbeResult.SUCCESS && resultRun < successThreshold)) {
                return true;
            }
            set(result);
            if ((type == ProbeType.LIVENESS || type == ProbeType.STARTUP) && result == ProbeResult.FAILURE) {
                // The container will be restarted: probe no more until a new one appears.
                onHold = true;
                resultRun = 0;
            }
            return true;
        }
    }

    private void set(ProbeResult result) {
        if (result != standing) {
            standing = result;
            unannounced.add(result);
        }
    }

    private void announce() {
        List<ProbeResult> results;
        String id;
        synchronized (this) {
            results = List.copyOf(unannounced);
            unannounced.clear();
            id = containerId;
        }
        for (ProbeResult r : results) {
            listener.resultChanged(containerName, id, type, r);
        }
    }

    private static int positive(Integer value, int otherwise) {
        return value == null || value <= 0 ? otherwise : value;
    }
}
