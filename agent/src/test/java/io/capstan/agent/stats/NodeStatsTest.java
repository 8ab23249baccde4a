package io.capstan.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.agent.ManualClock;
import io.capstan.runtime.ResourceUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStatsTest {

    private static final Instant STARTED = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path proc;
    final ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:01:00Z"));
    final FakePodStats pods = new FakePodStats();
    NodeStats stats;

    @BeforeEach
    void setUp() throws Exception {
        FakeHost.write(proc, 100);
        stats = new NodeStats("node-1", pods, new HostUsage(proc, clock), clock);
    }

    private void container(long cpuNanos, long memory) {
        pods.pods.clear();
        pods.pods.add(new PodStats.PodReading("ns", "p", "uid-1", STARTED, List.of(
                new PodStats.ContainerReading("c", "id-1", STARTED, new ResourceUsage(clock.instant(), cpuNanos, memory)))));
    }

    @Test
    void theFirstSummaryHasCumulativeCpuAndMemoryButNoRateYet() {
        container(1_000_000_000L, 2048);
        JsonNode summary = stats.summary();
        JsonNode node = summary.path("node");
        assertThat(node.path("nodeName").asText()).isEqualTo("node-1");
        assertThat(node.path("cpu").path("usageCoreNanoSeconds").asLong()).isEqualTo(1_000_000_000L);
        assertThat(node.path("cpu").has("usageNanoCores")).isFalse();
        assertThat(node.path("memory").path("workingSetBytes").asLong()).isEqualTo(4_000_000L * 1024);
        JsonNode pod = summary.path("pods").path(0);
        assertThat(pod.path("podRef").toString()).isEqualTo("{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"uid-1\"}");
        JsonNode c = pod.path("containers").path(0);
        assertThat(c.path("name").asText()).isEqualTo("c");
        assertThat(c.path("startTime").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(c.path("cpu").has("usageNanoCores")).isFalse();
        assertThat(c.path("cpu").path("usageCoreNanoSeconds").asLong()).isEqualTo(1_000_000_000L);
        assertThat(c.path("memory").path("workingSetBytes").asLong()).isEqualTo(2048);
        assertThat(pod.path("cpu").has("usageNanoCores")).isFalse();
    }

    @Test
    void aLaterSummaryCarriesTheRatesSinceTheReadingBefore() throws Exception {
        container(1_000_000_000L, 2048);
        stats.sample();
        clock.advance(Duration.ofSeconds(10));
        FakeHost.write(proc, 300);
        container(6_000_000_000L, 4096);
        JsonNode summary = stats.summary();
        assertThat(summary.path("node").path("cpu").path("usageNanoCores").asLong()).isEqualTo(200_000_000L);
        assertThat(summary.path("node").path("cpu").path("time").asText()).isEqualTo("2024-01-01T00:01:10Z");
        JsonNode pod = summary.path("pods").path(0);
        assertThat(pod.path("containers").path(0).path("cpu").path("usageNanoCores").asLong()).isEqualTo(500_000_000L);
        assertThat(pod.path("containers").path(0).path("memory").path("workingSetBytes").asLong()).isEqualTo(4096);
        assertThat(pod.path("cpu").path("usageNanoCores").asLong()).isEqualTo(500_000_000L);
        assertThat(pod.path("memory").path("workingSetBytes").asLong()).isEqualTo(4096);
    }

    @Test
    void aPodWithoutRunningContainersHasNoPodLevelUsage() {
        pods.pods.add(new PodStats.PodReading("ns", "done", "uid-2", STARTED, List.of()));
        JsonNode pod = stats.summary().path("pods").path(0);
        assertThat(pod.path("podRef").path("name").asText()).isEqualTo("done");
        assertThat(pod.has("cpu")).isFalse();
    }
}
