package io.capstan.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.agent.ManualClock;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class ContainerProbesTest {

    private final ManualClock clock = new ManualClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final List<String> changes = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<Instant> execTimes = new ArrayList<>();
    /** Exit codes the exec probe returns in turn; 0 when empty. */
    private final Queue<Integer> exits = new LinkedList<>();
    private ContainerSnapshot snapshot;

    private final ProbeListener listener = new ProbeListener() {
        @Override
        public void resultChanged(String containerName, String containerId, ProbeType type, ProbeResult result) {
            changes.add(type + "=" + result + "@" + containerId);
        }

        @Override
        public void attempted(String containerName, ProbeType type, Outcome outcome) {
            events.add(outcome.event(type).reason() + ": " + outcome.event(type).message());
        }
    };

    private final Prober prober = new Prober((id, cmd, timeout) -> {
        execTimes.add(clock.instant());
        Integer exit = exits.poll();
        return new ExecRunner.ExecResult(exit == null ? 0 : exit, exit == null || exit == 0 ? "" : "exit " + exit, false);
    }, "1.32");

    private static ProbeBuilder exec() {
        return new ProbeBuilder().withNewExec().withCommand("true").endExec();
    }

    private ContainerProbes probes(Probe startup, Probe liveness, Probe readiness) {
        Container c = new ContainerBuilder().withName("app").withStartupProbe(startup).withLivenessProbe(liveness)
                .withReadinessProbe(readiness).build();
        ContainerProbes probes = new ContainerProbes(c, () -> snapshot, prober, scheduler, clock, listener);
        probes.start();
        return probes;
    }

    private void running(String id) {
        snapshot = new ContainerSnapshot(id, clock.instant(), false, "10.0.0.5", false, false, false);
    }

    private long secondsSinceStart(Instant t) {
        return Duration.between(Instant.parse("2026-01-01T00:00:00Z"), t).toSeconds();
    }

    @Test
    void readinessStartsFailedAndTurnsReadyAfterSuccessThreshold() {
        running("c1");
        ContainerProbes probes = probes(null, null, exec().withPeriodSeconds(5).withSuccessThreshold(2).build());
        assertThat(probes.ready()).isFalse();
        scheduler.runDue();
        assertThat(changes).containsExactly("READINESS=FAILURE@c1");
        assertThat(probes.ready()).isFalse();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(probes.ready()).isTrue();
        assertThat(changes).containsExactly("READINESS=FAILURE@c1", "READINESS=SUCCESS@c1");
        assertThat(execTimes).extracting(this::secondsSinceStart).containsExactly(0L, 5L);
    }

    @Test
    void noProbesMeansReadyAsSoonAsRunning() {
        ContainerProbes probes = probes(null, null, null);
        assertThat(probes.ready()).isFalse();
        running("c1");
        assertThat(probes.started()).isTrue();
        assertThat(probes.ready()).isTrue();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void nothingIsProbedBeforeInitialDelay() {
        running("c1");
        probes(null, exec().withInitialDelaySeconds(15).withPeriodSeconds(10).build(), null);
        scheduler.advance(Duration.ofSeconds(35));
        assertThat(execTimes).extracting(this::secondsSinceStart).containsExactly(20L, 30L);
    }

    @Test
    void livenessFailsOnlyAfterFailureThresholdInARowThenHoldsUntilANewContainer() {
        running("c1");
        exits.addAll(List.of(1, 0, 1, 1, 1));
        ContainerProbes probes = probes(null, exec().withPeriodSeconds(10).withFailureThreshold(3).build(), null);
        assertThat(probes.result(ProbeType.LIVENESS)).isEqualTo(ProbeResult.SUCCESS);
        scheduler.advance(Duration.ofSeconds(40));
        assertThat(changes).containsExactly("LIVENESS=SUCCESS@c1", "LIVENESS=FAILURE@c1");
        assertThat(events).containsExactly("Unhealthy: Liveness probe failed: exit 1", "Unhealthy: Liveness probe failed: exit 1",
                "Unhealthy: Liveness probe failed: exit 1", "Unhealthy: Liveness probe failed: exit 1");
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(execTimes).as("on hold after the failure").hasSize(5);

        running("c2");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(changes).endsWith("LIVENESS=SUCCESS@c2");
        assertThat(execTimes).hasSize(6);
        assertThat(probes.result(ProbeType.LIVENESS)).isEqualTo(ProbeResult.SUCCESS);
    }

    @Test
    void startupProbeGatesLivenessAndReadinessAndStopsOnceStarted() {
        running("c1");
        exits.addAll(List.of(1, 1));
        ContainerProbes probes = probes(exec().withPeriodSeconds(3).withFailureThreshold(10).build(),
                exec().withPeriodSeconds(1).build(),
                exec().withPeriodSeconds(1).build());
        scheduler.runDue();
        assertThat(probes.started()).isFalse();
        assertThat(execTimes).as("only the startup probe ran").hasSize(1);
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(probes.started()).isTrue();
        assertThat(changes).contains("STARTUP=SUCCESS@c1");
        int startupRuns = 3;
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(probes.ready()).isTrue();
        assertThat(execTimes.size() - startupRuns).as("liveness and readiness ran after start, each once a second").isEqualTo(6);
        assertThat(changes).containsExactlyInAnyOrder("STARTUP=UNKNOWN@c1", "STARTUP=SUCCESS@c1", "LIVENESS=SUCCESS@c1",
                "READINESS=FAILURE@c1", "READINESS=SUCCESS@c1");
        assertThat(changes).containsSubsequence("STARTUP=SUCCESS@c1", "READINESS=SUCCESS@c1");
    }

    @Test
    void startupFailureAfterThresholdAsksForARestart() {
        running("c1");
        exits.addAll(List.of(1, 1, 1));
        ContainerProbes probes = probes(exec().withPeriodSeconds(10).withFailureThreshold(3).build(), null, null);
        scheduler.advance(Duration.ofSeconds(25));
        assertThat(changes).containsExactly("STARTUP=UNKNOWN@c1", "STARTUP=FAILURE@c1");
        assertThat(probes.started()).isFalse();
    }

    @Test
    void aStoppedContainerCountsAsFailedAndAWorkerOfATerminalPodEnds() {
        running("c1");
        ContainerProbes probes = probes(null, null, exec().withPeriodSeconds(1).build());
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(probes.ready()).isTrue();
        snapshot = new ContainerSnapshot("c1", null, true, "10.0.0.5", false, false, true);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(changes).endsWith("READINESS=FAILURE@c1");
        assertThat(probes.ready()).isFalse();
        assertThat(scheduler.pending()).as("restartPolicy Never: the worker ends").isZero();
    }

    @Test
    void deletingPodsStopLivenessQuietly() {
        running("c1");
        exits.addAll(List.of(1, 1, 1, 1));
        probes(null, exec().withPeriodSeconds(1).withFailureThreshold(1).build(), null);
        snapshot = new ContainerSnapshot("c1", clock.instant(), false, "10.0.0.5", false, true, false);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(execTimes).isEmpty();
        assertThat(changes).containsExactly("LIVENESS=SUCCESS@c1");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void stopCancelsTheWorkers() {
        running("c1");
        ContainerProbes probes = probes(null, exec().withPeriodSeconds(1).build(), null);
        scheduler.advance(Duration.ofSeconds(2));
        probes.stop();
        int runs = execTimes.size();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(execTimes).hasSize(runs);
    }
}
