package io.capstan.agent.pods;

import io.capstan.agent.probes.ContainerSnapshot;
import io.capstan.agent.probes.Outcome;
import io.capstan.agent.probes.Prober;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.Optional;

/**
 * A container's postStart and preStop hooks, run as the kubelet runs them: exec and httpGet through the
 * same checks as probes, sleep by waiting; a hook's failure is its message (FailedPostStartHook / FailedPreStopHook).
 */
final class LifecycleHooks {

    private final Prober prober;

    LifecycleHooks(Prober prober) {
        this.prober = prober;
    }

    /** Runs the hook within {@code limit}; empty when it succeeded (or there is none), else why it failed. */
    Optional<String> run(LifecycleHandler hook, Container container, ContainerSnapshot target, Duration limit) {
        if (hook == null) {
            return Optional.empty();
        }
        if (hook.getSleep() != null) {
            long seconds = Math.min(hook.getSleep().getSeconds() == null ? 0 : hook.getSleep().getSeconds(), limit.toSeconds());
            try {
                Thread.sleep(Duration.ofSeconds(seconds)); // the hook itself is a wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
        Probe probe = new Probe();
        probe.setExec(hook.getExec());
        probe.setHttpGet(hook.getHttpGet());
        probe.setTcpSocket(hook.getTcpSocket());
        probe.setTimeoutSeconds((int) Math.max(1, limit.toSeconds()));
        Outcome outcome = prober.run(probe, container, target);
        return switch (outcome.kind()) {
            case SUCCESS, WARNING -> Optional.empty();
            case FAILURE, ERROR -> Optional.of(outcome.output());
        };
    }
}
