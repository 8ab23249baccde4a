package io.capstan.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.client.fake.FakeCache;
import io.capstan.scheduler.plugins.DefaultPlugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default plugins on hand-built snapshots, as Kubernetes tests its scheduler. */
class SchedulingAlgorithmTest {

    final ClusterState cluster = new ClusterState();
    final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultPlugins.filters(cluster::namespaceLabels,
            new VolumeObjects(new FakeCache(), new FakeCache(), new FakeCache())), DefaultPlugins.scorers(cluster::namespaceLabels));

    @Test
    void aPodThatFitsNowhereIsExplainedPerReason() {
        node("a", "2", Map.of());
        node("b", "2", Map.of());
        node("c", "2", Map.of());

        Decision d = algorithm.schedule(pod("big", "3", Map.of(), Json.array()), cluster.nodes());

        assertThat(d.scheduled()).isFalse();
        assertThat(d.message()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
    }

    @Test
    void reasonsAreCountedAndSortedAsKubernetesPrintsThem() {
        node("a", "2", Map.of());
        node("b", "2", Map.of());
        ObjectNode cordoned = nodeJson("c", "8", Map.of());
        Json.with(cordoned, "spec").put("unschedulable", true);
        cluster.upsertNode(NodeInfo.of(cordoned));

        Decision d = algorithm.schedule(pod("big", "3", Map.of(), Json.array()), cluster.nodes());

        assertThat(d.message()).isEqualTo("0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.");
    }

    @Test
    void requestsAddUpOnANode() {
        node("a", "4", Map.of());
        place("first", "a", "3");

        assertThat(algorithm.schedule(pod("second", "2", Map.of(), Json.array()), cluster.nodes()).scheduled()).isFalse();
        assertThat(algorithm.schedule(pod("small", "1", Map.of(), Json.array()), cluster.nodes()).node()).isEqualTo("a");
    }

    @Test
    void nodeSelectorKeepsPodsToMatchingNodes() {
        node("plain", "8", Map.of());
        node("fast", "8", Map.of("disk", "ssd"));

        ObjectNode p = podJson("p", "1", Map.of(), Json.array());
        Json.with(p, "spec", "nodeSelector").put("disk", "ssd");

        assertThat(algorithm.schedule(PodInfo.of(p), cluster.nodes()).node()).isEqualTo("fast");
    }

    @Test
    void requiredNodeAffinityWithNotInExcludesNodes() throws Exception {
        node("a", "8", Map.of("zone", "z1"));
        node("b", "8", Map.of("zone", "z2"));
        ObjectNode p = podJson("p", "1", Map.of(), Json.array());
        Json.with(p, "spec").set("affinity", Json.MAPPER.readTree("""
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"zone","operator":"NotIn","values":["z1"]}]}]}}}"""));

        assertThat(algorithm.schedule(PodInfo.of(p), cluster.nodes()).node()).isEqualTo("b");
    }

    @Test
    void taintsKeepOffPodsThatDoNotTolerateThem() throws Exception {
        ObjectNode tainted = nodeJson("gpu", "8", Map.of());
        Json.with(tainted, "spec").set("taints", Json.MAPPER.readTree("[{\"key\":\"gpu\",\"value\":\"yes\",\"effect\":\"NoSchedule\"}]"));
        cluster.upsertNode(NodeInfo.of(tainted));

        Decision refused = algorithm.schedule(pod("p", "1", Map.of(), Json.array()), cluster.nodes());
        assertThat(refused.message()).isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {gpu: yes}.");

        var tolerations = Json.MAPPER.readTree("[{\"key\":\"gpu\",\"operator\":\"Equal\",\"value\":\"yes\",\"effect\":\"NoSchedule\"}]");
        assertThat(algorithm.schedule(pod("q", "1", Map.of(), (com.fasterxml.jackson.databind.node.ArrayNode) tolerations),
                cluster.nodes()).node()).isEqualTo("gpu");
    }

    @Test
    void podsOfOneWorkloadSpreadOverEqualNodes() {
        node("a", "8", Map.of());
        node("b", "8", Map.of());
        node("c", "8", Map.of());
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ObjectNode json = podJson("p" + i, null, Map.of(), Json.array());
            Json.with(json, "metadata").putArray("ownerReferences").addObject().put("uid", "rs-1").put("controller", true);
            PodInfo p = PodInfo.of(json);
            Decision d = algorithm.schedule(p, cluster.nodes());
            placed.add(d.node());
            cluster.placePod(p.on(d.node()));
        }
        assertThat(placed).filteredOn("a"::equals).hasSize(2);
        assertThat(placed).filteredOn("b"::equals).hasSize(2);
        assertThat(placed).filteredOn("c"::equals).hasSize(2);
    }

    @Test
    void largeClustersAreSearchedOnlyInPart() {
        assertThat(SchedulingAlgorithm.feasibleToFind(50)).isEqualTo(50);
        assertThat(SchedulingAlgorithm.feasibleToFind(1000)).isEqualTo(420);
        assertThat(SchedulingAlgorithm.feasibleToFind(5000)).isEqualTo(500);
    }

    private void node(String name, String cpu, Map<String, String> labels) {
        cluster.upsertNode(NodeInfo.of(nodeJson(name, cpu, labels)));
    }

    private static ObjectNode nodeJson(String name, String cpu, Map<String, String> labels) {
        ObjectNode n = Json.object();
        ObjectNode meta = n.putObject("metadata").put("name", name);
        labels.forEach(Json.with(meta, "labels")::put);
        n.putObject("status").putObject("allocatable").put("cpu", cpu).put("memory", "32Gi").put("pods", "110");
        return n;
    }

    private void place(String name, String node, String cpu) {
        PodInfo p = pod(name, cpu, Map.of(), Json.array());
        cluster.placePod(p.on(node));
    }

    private static PodInfo pod(String name, String cpu, Map<String, String> labels, com.fasterxml.jackson.databind.node.ArrayNode tolerations) {
        return PodInfo.of(podJson(name, cpu, labels, tolerations));
    }

    private static ObjectNode podJson(String name, String cpu, Map<String, String> labels,
                                      com.fasterxml.jackson.databind.node.ArrayNode tolerations) {
        ObjectNode p = Json.object();
        ObjectNode meta = p.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        labels.forEach(Json.with(meta, "labels")::put);
        ObjectNode container = Json.with(p, "spec").putArray("containers").addObject().put("name", "c").put("image", "i");
        if (cpu != null) {
            container.putObject("resources").putObject("requests").put("cpu", cpu);
        }
        ((ObjectNode) p.get("spec")).set("tolerations", tolerations);
        return p;
    }
}
