package io.capstan.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.agent.ManualClock;
import io.capstan.runtime.ResourceUsage;
import io.capstan.runtime.RuntimeFailure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsTest {

    @TempDir
    Path proc;

    private static String text(AgentMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void containerUsageIsExposedAsCadvisorNamesIt() throws Exception {
        FakeHost.write(proc, 100);
        ManualClock clock = new ManualClock();
        FakePodStats pods = new FakePodStats();
        pods.pods.add(new PodStats.PodReading("ns", "p", "uid-1", Instant.EPOCH, List.of(
                new PodStats.ContainerReading("c", "id-1", Instant.EPOCH, new ResourceUsage(clock.instant(), 1_500_000_000L, 2048)))));
        String text = text(new AgentMetrics().watch(new NodeStats("n", pods, new HostUsage(proc, clock), clock)));
        assertThat(text).contains("# TYPE container_cpu_usage_seconds_total counter\n")
                .contains("container_cpu_usage_seconds_total{container=\"c\",namespace=\"ns\",pod=\"p\"} 1.5\n")
                .contains("# TYPE container_memory_working_set_bytes gauge\n")
                .contains("container_memory_working_set_bytes{container=\"c\",namespace=\"ns\",pod=\"p\"} 2048.0\n")
                .contains("node_cpu_usage_seconds_total 1.0\n")
                .contains("node_memory_working_set_bytes 4.096E9\n")
                .contains("kubelet_running_pods 1.0\n")
                .contains("kubelet_running_containers{container_state=\"running\"} 1.0\n");
    }

    @Test
    void startsRestartsAndPodStartLatencyAreCounted() throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        metrics.containerStarted(false, false);
        metrics.containerStarted(false, true);
        metrics.containerStarted(true, false);
        metrics.podStarted(Duration.ofMillis(200));
        metrics.podStarted(Duration.ofSeconds(3));
        String text = text(metrics);
        assertThat(text).contains("kubelet_started_containers_total{container_type=\"container\"} 2.0\n")
                .contains("kubelet_started_containers_total{container_type=\"init_container\"} 1.0\n")
                .contains("capstan_container_restarts_total{container_type=\"container\"} 1.0\n")
                .contains("# TYPE kubelet_pod_start_duration_seconds histogram\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"0.1\"} 0\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"0.25\"} 1\n")
                .contains("kubelet_pod_start_duration_seconds_bucket{le=\"3.0\"} 2\n")
                .contains("kubelet_pod_start_duration_seconds_count 2\n");
    }

    @Test
    void runtimeOperationsAreTimedAndTheirErrorsCounted() throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        assertThat(metrics.timed("start_container", () -> "ok")).isEqualTo("ok");
        assertThatThrownBy(() -> metrics.timed("stop_container", () -> {
            throw new RuntimeFailure("runc failed");
        })).isInstanceOf(RuntimeFailure.class);
        String text = text(metrics);
        assertThat(text).contains("kubelet_runtime_operations_duration_seconds_count{operation_type=\"start_container\"} 1\n")
                .contains("kubelet_runtime_operations_duration_seconds_count{operation_type=\"stop_container\"} 1\n")
                .contains("kubelet_runtime_operations_errors_total{operation_type=\"stop_container\"} 1.0\n")
                .doesNotContain("kubelet_runtime_operations_errors_total{operation_type=\"start_container\"}");
    }
}
