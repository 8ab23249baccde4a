package io.capstan.network.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRoutesTest {

    static ObjectNode node(String name, String podCidr, String internalIp) {
        ObjectNode node = Json.object();
        node.putObject("metadata").put("name", name);
        ObjectNode spec = node.putObject("spec");
        if (podCidr != null) {
            spec.put("podCIDR", podCidr).putArray("podCIDRs").add(podCidr);
        }
        var addresses = node.putObject("status").putArray("addresses");
        if (internalIp != null) {
            addresses.addObject().put("type", "InternalIP").put("address", internalIp);
        }
        addresses.addObject().put("type", "Hostname").put("address", name);
        return node;
    }

    @Test
    void everyOtherNodesSubnetGoesThroughItsInternalIp() {
        List<Route> routes = NodeRoutes.desired("n1", "10.42.0.0/24", List.of(
                node("n1", "10.42.0.0/24", "172.31.5.1"),
                node("n3", "10.42.2.0/24", "172.31.5.3"),
                node("n2", "10.42.1.0/24", "172.31.5.2")));

        assertThat(routes).containsExactly(
                new Route("10.42.1.0/24", "172.31.5.2", "n2"),
                new Route("10.42.2.0/24", "172.31.5.3", "n3"));
    }

    @Test
    void nodesWithoutSubnetOrAddressGetNoRoute() {
        List<Route> routes = NodeRoutes.desired("n1", "10.42.0.0/24", List.of(
                node("waiting", null, "172.31.5.2"),
                node("nameless", "10.42.3.0/24", null),
                node("v6", "fd00:42::/64", "fd00::2")));

        assertThat(routes).isEmpty();
    }

    @Test
    void aNodeClaimingOurOwnSubnetIsNotRoutedAway() {
        assertThat(NodeRoutes.desired("n1", "10.42.0.0/24", List.of(node("twin", "10.42.0.0/24", "172.31.5.9")))).isEmpty();
    }

    @Test
    void podCidrFallsBackToTheSingleField() {
        ObjectNode node = node("n", null, "1.2.3.4");
        ((ObjectNode) node.get("spec")).put("podCIDR", "10.42.9.0/24");

        assertThat(NodeRoutes.podCidr(node)).isEqualTo("10.42.9.0/24");
    }
}
