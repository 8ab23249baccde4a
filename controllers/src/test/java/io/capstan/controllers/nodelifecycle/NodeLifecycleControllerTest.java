package io.capstan.controllers.nodelifecycle;

import io.capstan.client.fake.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.controllers.RecordedEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {

    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    final TestClock clock = new TestClock(START);
    final FakeApi api = new FakeApi();
    final FakeCache nodes = new FakeCache();
    final FakeCache leases = new FakeCache();
    final FakeCache pods = new FakeCache();
    final NodeLifecycleController controller = new NodeLifecycleController(api, nodes, leases, pods,
            new EventRecorder(api, "node-controller", clock), clock);

    @Test
    void aNodeWhoseLeaseStopsIsUnknownAfterTheGracePeriodAndTaintedUnreachable() {
        node("sim-0");
        node("sim-1");
        lease("sim-0", START);
        lease("sim-1", START);
        controller.reconcile("sim-0");
        controller.reconcile("sim-1");

        clock.advance(Duration.ofSeconds(30));
        lease("sim-1", clock.instant());
        controller.reconcile("sim-0");
        assertThat(readyStatus(api.get(Kinds.NODES, "", "sim-0"))).isEqualTo("True");

        clock.advance(Duration.ofSeconds(11));
        controller.reconcile("sim-1");
        controller.reconcile("sim-0");

        ObjectNode dead = api.get(Kinds.NODES, "", "sim-0");
        JsonNode ready = NodeLifecycleController.condition(dead, "Ready");
        assertThat(ready.path("status").asText()).isEqualTo("Unknown");
        assertThat(ready.path("reason").asText()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.path("message").asText()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(NodeLifecycleController.condition(dead, "MemoryPressure").path("status").asText()).isEqualTo("Unknown");
        assertThat(taints(dead)).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
        assertThat(dead.path("spec").path("taints").get(0).path("timeAdded").asText()).isEqualTo("2026-11-25T10:00:41Z");
        assertThat(readyStatus(api.get(Kinds.NODES, "", "sim-1"))).isEqualTo("True");
        assertThat(RecordedEvents.of(api)).contains("Normal NodeNotReady sim-0: Node sim-0 status is now: NodeNotReady",
                "Normal RegisteredNode sim-0: Node sim-0 event: Registered Node sim-0 in Controller");
    }

    @Test
    void podsOnAnUnreachableNodeAreMarkedNotReady() {
        node("sim-0");
        node("sim-1");
        lease("sim-1", START);
        pods.put(api.seed(Kinds.PODS, readyPod("p1", "sim-0")));
        pods.put(api.seed(Kinds.PODS, readyPod("p2", "sim-1")));
        controller.reconcile("sim-0");
        controller.reconcile("sim-1");

        clock.advance(Duration.ofSeconds(41));
        lease("sim-1", clock.instant());
        controller.reconcile("sim-1");
        controller.reconcile("sim-0");

        assertThat(podReady("p1")).isEqualTo("False");
        assertThat(podReady("p2")).isEqualTo("True");
        assertThat(RecordedEvents.of(api)).contains("Warning NodeNotReady p1: Node is not ready").noneMatch(e -> e.contains(" p2:"));
    }

    @Test
    void aNodeReadyAgainLosesTheTaints() {
        ObjectNode n = node("sim-0");
        node("sim-1");
        lease("sim-1", START);
        Json.with(n, "spec").putArray("taints").addObject().put("key", "node.kubernetes.io/unreachable").put("effect", "NoExecute");
        ((com.fasterxml.jackson.databind.node.ArrayNode) n.path("spec").path("taints")).addObject()
                .put("key", "node.kubernetes.io/unreachable").put("effect", "NoSchedule");
        ((com.fasterxml.jackson.databind.node.ArrayNode) n.path("spec").path("taints")).addObject()
                .put("key", "example.com/keep").put("effect", "NoSchedule");
        api.seed(Kinds.NODES, n);
        lease("sim-0", START);

        controller.reconcile("sim-0");

        assertThat(taints(api.get(Kinds.NODES, "", "sim-0"))).containsExactly("example.com/keep:NoSchedule");
    }

    @Test
    void aCordonedNodeGetsTheUnschedulableTaintAndLosesItWhenUncordoned() {
        ObjectNode n = node("sim-0");
        lease("sim-0", START);
        Json.with(n, "spec").put("unschedulable", true);
        api.seed(Kinds.NODES, n);
        controller.reconcile("sim-0");
        assertThat(taints(api.get(Kinds.NODES, "", "sim-0"))).containsExactly("node.kubernetes.io/unschedulable:NoSchedule");

        ObjectNode uncordoned = api.get(Kinds.NODES, "", "sim-0");
        Json.with(uncordoned, "spec").remove("unschedulable");
        nodes.put(uncordoned);
        controller.reconcile("sim-0");
        assertThat(taints(api.get(Kinds.NODES, "", "sim-0"))).isEmpty();
    }

    @Test
    void whenEveryNodeIsDownNothingIsTaintedForEviction() {
        node("sim-0");
        node("sim-1");
        controller.reconcile("sim-0");
        controller.reconcile("sim-1");
        clock.advance(Duration.ofSeconds(41));

        controller.reconcile("sim-0");
        nodes.put(api.get(Kinds.NODES, "", "sim-0"));
        controller.reconcile("sim-1");
        nodes.put(api.get(Kinds.NODES, "", "sim-1"));
        controller.reconcile("sim-0");

        assertThat(readyStatus(api.get(Kinds.NODES, "", "sim-1"))).isEqualTo("Unknown");
        assertThat(taints(api.get(Kinds.NODES, "", "sim-0"))).doesNotContain("node.kubernetes.io/unreachable:NoExecute");
        assertThat(taints(api.get(Kinds.NODES, "", "sim-1"))).doesNotContain("node.kubernetes.io/unreachable:NoExecute");
    }

    @Test
    void aSecondNodeInTheZoneIsTaintedOnlyAfterTheRateLimit() {
        for (String n : List.of("a", "b", "c", "d", "e", "f")) {
            node(n);
            lease(n, START);
            controller.reconcile(n);
        }
        clock.advance(Duration.ofSeconds(41));
        for (String n : List.of("c", "d", "e", "f")) {
            lease(n, clock.instant());
            controller.reconcile(n);
        }
        controller.reconcile("a");
        nodes.put(api.get(Kinds.NODES, "", "a"));
        var second = controller.reconcile("b");

        assertThat(taints(api.get(Kinds.NODES, "", "a"))).contains("node.kubernetes.io/unreachable:NoExecute");
        assertThat(taints(api.get(Kinds.NODES, "", "b"))).doesNotContain("node.kubernetes.io/unreachable:NoExecute");
        assertThat(second.requeueAfter()).isEqualTo(Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(10));
        nodes.put(api.get(Kinds.NODES, "", "b"));
        controller.reconcile("b");
        assertThat(taints(api.get(Kinds.NODES, "", "b"))).contains("node.kubernetes.io/unreachable:NoExecute");
    }

    private ObjectNode node(String name) {
        ObjectNode n = Json.object();
        n.putObject("metadata").put("name", name).put("creationTimestamp", START.toString());
        n.putObject("status").putArray("conditions").addObject().put("type", "Ready").put("status", "True")
                .put("reason", "KubeletReady").put("lastHeartbeatTime", START.toString()).put("lastTransitionTime", START.toString());
        nodes.put(api.seed(Kinds.NODES, n));
        return n;
    }

    private void lease(String node, Instant renew) {
        ObjectNode l = Json.object();
        l.putObject("metadata").put("name", node).put("namespace", "kube-node-lease");
        l.putObject("spec").put("renewTime", renew.toString());
        leases.put(l);
    }

    private static ObjectNode readyPod(String name, String node) {
        ObjectNode p = Json.object();
        p.putObject("metadata").put("name", name).put("namespace", "default");
        p.putObject("spec").put("nodeName", node);
        p.putObject("status").put("phase", "Running").putArray("conditions").addObject().put("type", "Ready").put("status", "True");
        return p;
    }

    private String podReady(String name) {
        return NodeLifecycleController.condition(api.get(Kinds.PODS, "default", name), "Ready").path("status").asText();
    }


    private static String readyStatus(JsonNode node) {
        return NodeLifecycleController.condition(node, "Ready").path("status").asText();
    }

    private static List<String> taints(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.path("spec").path("taints").forEach(t -> out.add(t.path("key").asText() + ":" + t.path("effect").asText()));
        return out;
    }
}
