package io.capstan.agent.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Result;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.client.fake.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedPodIpTest {

    final TestClock clock = new TestClock("2026-11-25T10:00:00Z");
    final FakeApi api = new FakeApi();
    final FakeCache pods = new FakeCache();
    final FakeCache nodes = new FakeCache();
    final SimulatedNodes sim = new SimulatedNodes(api, new SimulatedNodeConfig(2, "8", "32Gi", "110"), clock, pods, nodes);

    @Test
    void aPodsIpComesFromItsNodesPodCidr() {
        node("sim-1", "10.42.7.0/24", "2026-11-25T10:00:00Z");
        pod("p", "sim-1");

        sim.reconcile("default/p");

        assertThat(api.get(Kinds.PODS, "default", "p").path("status").path("podIP").asText()).isEqualTo("10.42.7.2");
    }

    @Test
    void aNewNodesPodWaitsForTheSubnet() {
        node("sim-1", null, "2026-11-25T09:59:58Z");
        pod("p", "sim-1");

        Result result = sim.reconcile("default/p");

        assertThat(result.requeueAfter()).isNotNull();
        assertThat(api.get(Kinds.PODS, "default", "p").path("status").has("podIP")).isFalse();
    }

    @Test
    void aNodeThatGotNoSubnetFallsBackToItsOwnRange() {
        node("sim-1", null, "2026-11-25T09:59:00Z");
        pod("p", "sim-1");
        clock.advance(Duration.ofSeconds(1));

        sim.reconcile("default/p");

        assertThat(api.get(Kinds.PODS, "default", "p").path("status").path("podIP").asText()).isEqualTo("100.64.1.2");
    }

    private void node(String name, String podCidr, String created) {
        ObjectNode node = Json.object().put("apiVersion", "v1").put("kind", "Node");
        node.putObject("metadata").put("name", name).put("creationTimestamp", created);
        ObjectNode spec = node.putObject("spec");
        if (podCidr != null) {
            spec.put("podCIDR", podCidr).putArray("podCIDRs").add(podCidr);
        }
        nodes.put(node);
    }

    private void pod(String name, String nodeName) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        pod.putObject("spec").put("nodeName", nodeName).putArray("containers").addObject().put("name", "c").put("image", "busybox");
        pods.put(api.seed(Kinds.PODS, pod));
    }
}
