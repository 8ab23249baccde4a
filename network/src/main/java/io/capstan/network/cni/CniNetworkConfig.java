package io.capstan.network.cni;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.nio.file.Path;

/**
 * The node's pod network as a CNI configuration list: a Linux bridge with host-local addresses from the
 * node's pod CIDR (gateway on the bridge), then portmap for hostPorts, as k3s's default flannel-less set-up and
 * the CNI reference plugins document. The bridge plugin's own masquerade (ipMasq) stays off: it spares only this
 * node's subnet, so pods of other nodes would see this node's address instead of the pod's; the routing module's
 * rules masquerade only what leaves the cluster CIDR.
 *
 * @param bridge the bridge interface name on the host
 * @param podCidr the node's pod subnet, e.g. 10.42.0.0/24
 * @param ipamDir where host-local records which addresses it handed out
 */
public record CniNetworkConfig(String name, String bridge, String podCidr, Path ipamDir) {

    static final String CNI_VERSION = "1.0.0";

    public ObjectNode conflist() {
        ObjectNode list = Json.object().put("cniVersion", CNI_VERSION).put("name", name);
        ArrayNode plugins = list.putArray("plugins");
        ObjectNode bridgePlugin = plugins.addObject().put("type", "bridge").put("bridge", bridge).put("isGateway", true)
                .put("ipMasq", false).put("hairpinMode", true);
        ObjectNode ipam = bridgePlugin.putObject("ipam").put("type", "host-local").put("dataDir", ipamDir.toString());
        ipam.putArray("ranges").addArray().addObject().put("subnet", podCidr);
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        plugins.addObject().put("type", "portmap").put("snat", true).putObject("capabilities").put("portMappings", true);
        return list;
    }
}
