package io.capstan.network.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The routes a node needs to reach every other node's pods, host-gw style (as flannel's host-gw backend): each
 * other node's pod subnet through that node's InternalIP, which must be on a network this node is attached to.
 */
public final class NodeRoutes {

    private NodeRoutes() {}

    /**
     * The routes node {@code self} wants, given every Node: one per other node that has a pod CIDR and an InternalIP.
     * A node being deleted still routes until it is gone; a subnet equal to ours (a misconfiguration) is skipped.
     */
    public static List<Route> desired(String self, String ownPodCidr, Collection<? extends JsonNode> nodes) {
        List<Route> routes = new ArrayList<>();
        for (JsonNode node : nodes) {
            String name = node.path("metadata").path("name").asText();
            if (name.equals(self)) {
                continue;
            }
            String cidr = podCidr(node);
            String address = internalIp(node);
            if (cidr == null || address == null || cidr.equals(ownPodCidr) || cidr.contains(":") || address.contains(":")) {
                continue;
            }
            routes.add(new Route(cidr, address, name));
        }
        routes.sort(Comparator.comparing(Route::destination));
        return routes;
    }

    /** spec.podCIDRs[0], else spec.podCIDR; null when the node has none yet. */
    public static String podCidr(JsonNode node) {
        JsonNode list = node.path("spec").path("podCIDRs");
        if (list.isArray() && !list.isEmpty() && !list.get(0).asText().isEmpty()) {
            return list.get(0).asText();
        }
        String single = node.path("spec").path("podCIDR").asText("");
        return single.isEmpty() ? null : single;
    }

    /** The node's first InternalIP address, or null. */
    static String internalIp(JsonNode node) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if (a.path("type").asText().equals("InternalIP") && !a.path("address").asText().isEmpty()) {
                return a.path("address").asText();
            }
        }
        return null;
    }
}
