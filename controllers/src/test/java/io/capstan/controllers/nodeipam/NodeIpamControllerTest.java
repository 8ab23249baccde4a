package io.capstan.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.Result;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.client.fake.TestClock;
import io.capstan.controllers.RecordedEvents;
import org.junit.jupiter.api.Test;

class NodeIpamControllerTest {

    final TestClock clock = new TestClock("2026-11-25T10:00:00Z");
    final FakeApi api = new FakeApi();
    final FakeCache nodes = new FakeCache();
    boolean synced = true;

    NodeIpamController controller(String clusterCidr) {
        return new NodeIpamController(api, nodes, () -> synced, new EventRecorder(api, "cidrAllocator", clock), clusterCidr, 24);
    }

    @Test
    void aRegisteringNodeGetsTheNextFreeSubnetInPodCidrAndPodCidrs() {
        NodeIpamController controller = controller("10.42.0.0/16");
        node("a", null);
        node("b", null);

        controller.reconcile("a");
        controller.reconcile("b");

        assertThat(stored("a").path("spec").path("podCIDR").asText()).isEqualTo("10.42.0.0/24");
        assertThat(stored("a").path("spec").path("podCIDRs").toString()).isEqualTo("[\"10.42.0.0/24\"]");
        assertThat(stored("b").path("spec").path("podCIDR").asText()).isEqualTo("10.42.1.0/24");
    }

    @Test
    void afterARestartSubnetsNodesCarryAreNotHandedOutAgain() {
        node("old-1", "10.42.0.0/24");
        node("old-2", "10.42.1.0/24");
        node("new", null);
        NodeIpamController controller = controller("10.42.0.0/16");

        controller.reconcile("new");

        assertThat(stored("new").path("spec").path("podCIDR").asText()).isEqualTo("10.42.2.0/24");
    }

    @Test
    void noSubnetIsGivenBeforeTheNodeCacheHasSynced() {
        synced = false;
        node("a", null);
        NodeIpamController controller = controller("10.42.0.0/16");

        Result result = controller.reconcile("a");

        assertThat(result.requeueAfter()).isNotNull();
        assertThat(api.actions()).noneMatch(a -> a.startsWith("patch"));
    }

    @Test
    void aDeletedNodesSubnetIsFreeAgain() {
        NodeIpamController controller = controller("10.42.0.0/23");
        node("a", null);
        node("b", null);
        controller.reconcile("a");
        controller.reconcile("b");

        nodes.remove(stored("a"));
        controller.reconcile("a");
        node("c", null);
        controller.reconcile("c");

        assertThat(stored("c").path("spec").path("podCIDR").asText()).isEqualTo("10.42.0.0/24");
    }

    @Test
    void aFullRangeLeavesTheNodeWithoutSubnetAndRecordsCidrNotAvailable() {
        NodeIpamController controller = controller("10.198.7.0/24");
        node("a", null);
        node("b", null);
        controller.reconcile("a");

        Result result = controller.reconcile("b");

        assertThat(result.requeueAfter()).isEqualTo(NodeIpamController.RETRY);
        assertThat(stored("b").path("spec").has("podCIDR")).isFalse();
        assertThat(RecordedEvents.of(api)).containsExactly("Normal CIDRNotAvailable b: Node b status is now: CIDRNotAvailable");
    }

    @Test
    void aNodeRegisteredWithItsOwnSubnetKeepsItAndNoOtherNodeGetsIt() {
        NodeIpamController controller = controller("10.42.0.0/16");
        node("agent", "10.42.0.0/24");
        node("b", null);

        controller.reconcile("agent");
        controller.reconcile("b");

        assertThat(api.actions()).noneMatch(a -> a.startsWith("patch nodes agent"));
        assertThat(stored("b").path("spec").path("podCIDR").asText()).isEqualTo("10.42.1.0/24");
    }

    private void node(String name, String podCidr) {
        ObjectNode node = Json.object().put("apiVersion", "v1").put("kind", "Node");
        node.putObject("metadata").put("name", name).put("uid", "uid-" + name);
        ObjectNode spec = node.putObject("spec");
        if (podCidr != null) {
            spec.put("podCIDR", podCidr).putArray("podCIDRs").add(podCidr);
        }
        nodes.put(api.seed(Kinds.NODES, node));
    }

    /** The Node as the API now has it, also put in the cache as the informer would. */
    private ObjectNode stored(String name) {
        ObjectNode node = api.get(Kinds.NODES, "", name);
        nodes.put(node);
        return node;
    }
}
