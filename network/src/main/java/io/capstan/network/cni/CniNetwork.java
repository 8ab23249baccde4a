package io.capstan.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.List;
import java.util.Map;

/**
 * Attaches pod sandboxes to the node's pod network by running the configuration list's plugins in order
 * (ADD, each given the previous result) and detaching them in reverse (DEL), as libcni does.
 */
public final class CniNetwork {

    static final String IF_NAME = "eth0";

    /** A port a container asks for on the host (hostPort), for the portmap plugin. */
    public record PortMapping(int hostPort, int containerPort, String protocol, String hostIp) {}

    private final CniPlugins plugins;
    private final CniNetworkConfig config;

    public CniNetwork(CniPlugins plugins, CniNetworkConfig config) {
        this.plugins = plugins;
        this.config = config;
    }

    /** Attaches a sandbox's network namespace; returns the pod's IPv4 address. */
    public String add(String sandboxId, String netns, String namespace, String name, List<PortMapping> ports) {
        ObjectNode list = config.conflist();
        JsonNode prev = null;
        for (JsonNode plugin : list.path("plugins")) {
            ObjectNode conf = pluginConfig(list, (ObjectNode) plugin, prev, ports);
            prev = plugins.invoke(plugin.path("type").asText(), "ADD", sandboxId, netns, IF_NAME, args(namespace, name, sandboxId), conf);
        }
        for (JsonNode ip : prev == null ? Json.array() : prev.path("ips")) {
            String address = ip.path("address").asText();
            if (address.contains(".")) {
                return address.substring(0, address.indexOf('/'));
            }
        }
        throw new CniException("the pod network gave sandbox " + sandboxId + " no IPv4 address");
    }

    /** Detaches a sandbox; missing namespaces and released addresses are not errors (DEL is idempotent). */
    public void delete(String sandboxId, String netns, String namespace, String name, List<PortMapping> ports) {
        ObjectNode list = config.conflist();
        List<JsonNode> reversed = new java.util.ArrayList<>();
        list.path("plugins").forEach(reversed::add);
        java.util.Collections.reverse(reversed);
        for (JsonNode plugin : reversed) {
            plugins.invoke(plugin.path("type").asText(), "DEL", sandboxId, netns, IF_NAME, args(namespace, name, sandboxId),
                    pluginConfig(list, (ObjectNode) plugin, null, ports));
        }
    }

    private static ObjectNode pluginConfig(ObjectNode list, ObjectNode plugin, JsonNode prev, List<PortMapping> ports) {
        ObjectNode conf = plugin.deepCopy();
        conf.put("cniVersion", list.path("cniVersion").asText()).put("name", list.path("name").asText());
        if (prev != null) {
            conf.set("prevResult", prev);
        }
        if (plugin.path("capabilities").path("portMappings").asBoolean()) {
            ArrayNode mappings = conf.putObject("runtimeConfig").putArray("portMappings");
            for (PortMapping p : ports) {
                ObjectNode m = mappings.addObject().put("hostPort", p.hostPort()).put("containerPort", p.containerPort())
                        .put("protocol", p.protocol().toLowerCase(java.util.Locale.ROOT));
                if (p.hostIp() != null && !p.hostIp().isEmpty()) {
                    m.put("hostIP", p.hostIp());
                }
            }
        }
        return conf;
    }

    private static Map<String, String> args(String namespace, String name, String sandboxId) {
        return Map.of("IgnoreUnknown", "1", "K8S_POD_NAMESPACE", namespace, "K8S_POD_NAME", name,
                "K8S_POD_INFRA_CONTAINER_ID", sandboxId);
    }
}
