package io.capstan.apiserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeSummariesTest {

    private static final String SUMMARY = """
            {"node": {"nodeName": "n1", "cpu": {"time": "2024-01-01T00:00:10Z", "usageNanoCores": 250000000, "usageCoreNanoSeconds": 9},
                      "memory": {"time": "2024-01-01T00:00:10Z", "workingSetBytes": 1048576}},
             "pods": [
               {"podRef": {"name": "a", "namespace": "ns", "uid": "u-a"},
                "containers": [
                  {"name": "x", "cpu": {"time": "2024-01-01T00:00:09Z", "usageNanoCores": 1000, "usageCoreNanoSeconds": 5},
                   "memory": {"time": "2024-01-01T00:00:09Z", "workingSetBytes": 4096}},
                  {"name": "y", "cpu": {"time": "2024-01-01T00:00:10Z", "usageNanoCores": 2000, "usageCoreNanoSeconds": 5},
                   "memory": {"time": "2024-01-01T00:00:10Z", "workingSetBytes": 8192}}]},
               {"podRef": {"name": "fresh", "namespace": "ns", "uid": "u-f"},
                "containers": [{"name": "z", "cpu": {"time": "2024-01-01T00:00:10Z", "usageCoreNanoSeconds": 1},
                                "memory": {"time": "2024-01-01T00:00:10Z", "workingSetBytes": 1}}]},
               {"podRef": {"name": "stopped", "namespace": "ns", "uid": "u-s"}, "containers": []}
             ]}
            """;

    @Test
    void keepsTheNodesAndEachCompletePodsUsage() throws Exception {
        NodeSummaries.NodeUsage usage = NodeSummaries.parse("n1", Json.MAPPER.readTree(SUMMARY));
        assertThat(usage.usage()).isEqualTo(new NodeSummaries.Usage(Instant.parse("2024-01-01T00:00:10Z"), 250_000_000, 1_048_576));
        assertThat(usage.pods()).singleElement().satisfies(pod -> {
            assertThat(pod.uid()).isEqualTo("u-a");
            assertThat(pod.timestamp()).isEqualTo(Instant.parse("2024-01-01T00:00:10Z"));
            assertThat(pod.containers()).extracting(NodeSummaries.ContainerUsage::name).containsExactly("x", "y");
            assertThat(pod.containers().get(1).usage().memoryBytes()).isEqualTo(8192);
        });
    }

    @Test
    void aNodeWithoutACpuRateHasNoUsage() throws Exception {
        String summary = "{\"node\": {\"cpu\": {\"time\": \"2024-01-01T00:00:10Z\", \"usageCoreNanoSeconds\": 9},"
                + " \"memory\": {\"workingSetBytes\": 1}}}";
        assertThat(NodeSummaries.parse("n1", Json.MAPPER.readTree(summary)).usage()).isNull();
    }

    @Test
    void onlyReadyNodesWithAnAgentAreScraped() throws Exception {
        String ready = "{\"status\": {\"nodeInfo\": {\"containerRuntimeVersion\": \"runc://1.1.5\"},"
                + " \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}";
        assertThat(NodeSummaries.scrapable(Json.MAPPER.readTree(ready))).isTrue();
        assertThat(NodeSummaries.scrapable(Json.MAPPER.readTree(ready.replace("runc://", "simulated://")))).isFalse();
        assertThat(NodeSummaries.scrapable(Json.MAPPER.readTree(ready.replace("True", "Unknown")))).isFalse();
    }
}
