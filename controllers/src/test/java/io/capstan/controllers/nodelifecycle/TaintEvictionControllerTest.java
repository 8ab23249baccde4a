package io.capstan.controllers.nodelifecycle;

import io.capstan.client.fake.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.Result;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.controllers.RecordedEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintEvictionControllerTest {

    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    final TestClock clock = new TestClock(START);
    final FakeApi api = new FakeApi();
    final FakeCache nodes = new FakeCache();
    final FakeCache pods = new FakeCache();
    final TaintEvictionController controller = new TaintEvictionController(api, nodes, pods,
            new EventRecorder(api, "taint-eviction-controller", clock), clock);

    @Test
    void aPodThatDoesNotTolerateANoExecuteTaintIsDeletedAtOnce() {
        taintedNode("sim-0", START);
        pod("bare", "sim-0", Json.array());

        Result result = controller.reconcile("sim-0");

        assertThat(api.find(Kinds.PODS, "default", "bare")).isEmpty();
        assertThat(result.requeueAfter()).isNull();
        assertThat(RecordedEvents.of(api)).contains("Normal TaintManagerEviction bare: Marking for deletion Pod default/bare");
        assertThat(api.actions()).anyMatch(a -> a.startsWith("patch pods default/bare") && a.contains("DeletionByTaintManager")
                && a.contains("Taint manager: deleting due to NoExecute taint"));
    }

    @Test
    void aTolerationWithSecondsDelaysDeletionFromTheTaintsTimeAdded() {
        taintedNode("sim-0", START);
        pod("patient", "sim-0", tolerating(300));
        clock.advance(Duration.ofSeconds(100));

        Result early = controller.reconcile("sim-0");

        assertThat(api.find(Kinds.PODS, "default", "patient")).isPresent();
        assertThat(early.requeueAfter()).isEqualTo(Duration.ofSeconds(200));

        clock.advance(Duration.ofSeconds(200));
        controller.reconcile("sim-0");
        assertThat(api.find(Kinds.PODS, "default", "patient")).isEmpty();
    }

    @Test
    void aTolerationWithoutSecondsKeepsThePodForever() {
        taintedNode("sim-0", START);
        ArrayNode forever = Json.array();
        forever.addObject().put("key", "node.kubernetes.io/unreachable").put("operator", "Exists").put("effect", "NoExecute");
        pod("stays", "sim-0", forever);
        clock.advance(Duration.ofDays(1));

        assertThat(controller.reconcile("sim-0").requeueAfter()).isNull();
        assertThat(api.find(Kinds.PODS, "default", "stays")).isPresent();
    }

    @Test
    void removingTheTaintCancelsAPendingEviction() {
        ObjectNode node = taintedNode("sim-0", START);
        pod("patient", "sim-0", tolerating(300));
        controller.reconcile("sim-0");

        Json.with(node, "spec").remove("taints");
        nodes.put(node);
        controller.reconcile("sim-0");
        clock.advance(Duration.ofSeconds(400));
        controller.reconcile("sim-0");

        assertThat(api.find(Kinds.PODS, "default", "patient")).isPresent();
        assertThat(RecordedEvents.of(api)).contains("Normal TaintManagerEviction patient: Cancelling deletion of Pod default/patient");
    }

    @Test
    void aPodThatArrivedAfterTheTaintGetsItsFullToleration() {
        taintedNode("sim-0", START);
        ObjectNode late = pod("late", "sim-0", tolerating(60));
        ((ArrayNode) Json.with(late, "status").putArray("conditions")).addObject().put("type", "PodScheduled").put("status", "True")
                .put("lastTransitionTime", START.plusSeconds(50).toString());
        clock.advance(Duration.ofSeconds(70));

        assertThat(controller.reconcile("sim-0").requeueAfter()).isEqualTo(Duration.ofSeconds(40));
        assertThat(api.find(Kinds.PODS, "default", "late")).isPresent();
    }

    private ObjectNode taintedNode(String name, Instant added) {
        ObjectNode n = Json.object();
        n.putObject("metadata").put("name", name);
        Json.with(n, "spec").putArray("taints").addObject().put("key", "node.kubernetes.io/unreachable").put("effect", "NoExecute")
                .put("timeAdded", added.toString());
        nodes.put(api.seed(Kinds.NODES, n));
        return n;
    }

    private ObjectNode pod(String name, String node, ArrayNode tolerations) {
        ObjectNode p = Json.object();
        p.putObject("metadata").put("name", name).put("namespace", "default");
        p.putObject("spec").put("nodeName", node).set("tolerations", tolerations);
        p.putObject("status").put("phase", "Running");
        pods.put(api.seed(Kinds.PODS, p));
        return p;
    }

    private static ArrayNode tolerating(long seconds) {
        ArrayNode t = Json.array();
        t.addObject().put("key", "node.kubernetes.io/unreachable").put("operator", "Exists").put("effect", "NoExecute")
                .put("tolerationSeconds", seconds);
        return t;
    }

}
