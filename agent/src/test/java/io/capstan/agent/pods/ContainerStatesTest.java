package io.capstan.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerStatesTest {

    private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00.123Z");
    private static final Instant FINISHED = Instant.parse("2026-01-01T10:00:05.900Z");
    private final Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("u-1").endMetadata().build();

    private static ContainerStatus exited(int code, String reason) {
        return new ContainerStatus("c1", "s1", "app", Map.of(), ContainerState.EXITED, STARTED, STARTED, FINISHED, code, reason, 0,
                Path.of("/tmp/x.log"));
    }

    @Test
    void exitZeroIsCompletedWithTimesInWholeSeconds() {
        var state = ContainerStates.of(exited(0, null), "cri-o://c1", "done").getTerminated();
        assertThat(state.getReason()).isEqualTo("Completed");
        assertThat(state.getExitCode()).isZero();
        assertThat(state.getMessage()).isEqualTo("done");
        assertThat(state.getStartedAt()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(state.getFinishedAt()).isEqualTo("2026-01-01T10:00:05Z");
        assertThat(state.getContainerID()).isEqualTo("cri-o://c1");
    }

    @Test
    void nonZeroExitIsErrorAndTheRuntimesOomReasonWins() {
        assertThat(ContainerStates.of(exited(2, null), "x", "").getTerminated().getReason()).isEqualTo("Error");
        assertThat(ContainerStates.of(exited(2, null), "x", "").getTerminated().getMessage()).isNull();
        var oom = ContainerStates.of(exited(137, "OOMKilled"), "x", null).getTerminated();
        assertThat(oom.getReason()).isEqualTo("OOMKilled");
        assertThat(oom.getExitCode()).isEqualTo(137);
    }

    @Test
    void runningAndCreatedContainers() {
        var running = new ContainerStatus("c1", "s1", "app", Map.of(), ContainerState.RUNNING, STARTED, STARTED, null, 0, null, 1, null);
        assertThat(ContainerStates.of(running, "x", null).getRunning().getStartedAt()).isEqualTo("2026-01-01T10:00:00Z");
        var created = new ContainerStatus("c1", "s1", "app", Map.of(), ContainerState.CREATED, STARTED, null, null, 0, null, 0, null);
        assertThat(ContainerStates.of(created, "x", null).getWaiting().getReason()).isEqualTo("ContainerCreating");
    }

    @Test
    void crashLoopBackOffIsWordedAsTheKubeletWordsIt() {
        var waiting = ContainerStates.crashLoopBackOff(Duration.ofSeconds(40), "app", pod).getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(waiting.getMessage()).isEqualTo("back-off 40s restarting failed container=app pod=web_prod(u-1)");
        assertThat(ContainerStates.crashLoopMessage(Duration.ofSeconds(160), "app", pod)).startsWith("back-off 2m40s ");
        assertThat(ContainerStates.backOffEventMessage("app", pod)).isEqualTo("Back-off restarting failed container app in pod web_prod(u-1)");
    }

    @Test
    void durationsPrintAsGoPrintsThem() {
        assertThat(ContainerStates.goDuration(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(ContainerStates.goDuration(Duration.ofSeconds(300))).isEqualTo("5m0s");
        assertThat(ContainerStates.goDuration(Duration.ofSeconds(3600))).isEqualTo("1h0m0s");
        assertThat(ContainerStates.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(ContainerStates.goDuration(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(ContainerStates.goDuration(Duration.ZERO)).isEqualTo("0s");
    }
}
