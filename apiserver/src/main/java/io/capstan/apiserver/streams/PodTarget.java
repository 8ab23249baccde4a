package io.capstan.apiserver.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.GenericRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a pod's container is served: the container (checked, or defaulted when the pod has one) and its
 * node's agent, found as kube-apiserver's LogLocation and ExecLocation find them.
 *
 * @param agent the agent's base URI, null when the pod has no node yet
 */
record PodTarget(String namespace, String pod, String container, URI agent) {

    /** The kubelet's port, for nodes that report none. */
    static final int DEFAULT_AGENT_PORT = 10250;
    /** Address types tried in order; a node's first address of the first type present is used. */
    private static final List<String> ADDRESS_TYPES = List.of("InternalIP", "Hostname", "ExternalIP");

    static PodTarget find(GenericRegistry registry, String namespace, String name, String container) {
        ObjectNode pod = registry.get(Kinds.PODS, namespace, name);
        String checked = container(pod, name, container == null ? "" : container);
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            return new PodTarget(namespace, name, checked, null);
        }
        return new PodTarget(namespace, name, checked, agent(registry.get(Kinds.NODES, "", nodeName)));
    }

    /** The pod's node's agent, with no container (port-forward addresses the pod). */
    static PodTarget find(GenericRegistry registry, String namespace, String name) {
        ObjectNode pod = registry.get(Kinds.PODS, namespace, name);
        String nodeName = pod.path("spec").path("nodeName").asText("");
        return new PodTarget(namespace, name, "", nodeName.isEmpty() ? null : agent(registry.get(Kinds.NODES, "", nodeName)));
    }

    /** The agent's URI, or the 400 kube-apiserver answers exec and attach for a pod without a node. */
    URI requireAgent() {
        if (agent == null) {
            throw StatusException.badRequest("pod " + pod + " does not have a host assigned");
        }
        return agent;
    }

    /** kube-apiserver's validateContainer: a named container must exist; no name is fine only with one container. */
    static String container(JsonNode pod, String podName, String container) {
        List<String> names = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            pod.path("spec").path(list).forEach(c -> names.add(c.path("name").asText()));
        }
        JsonNode containers = pod.path("spec").path("containers");
        if (container.isEmpty()) {
            return switch (containers.size()) {
                case 1 -> containers.get(0).path("name").asText();
                case 0 -> throw StatusException.badRequest("a container name must be specified for pod " + podName);
                default -> throw StatusException.badRequest("a container name must be specified for pod " + podName
                        + ", choose one of: [" + String.join(" ", names) + "]");
            };
        }
        if (!names.contains(container)) {
            throw StatusException.badRequest("container " + container + " is not valid for pod " + podName);
        }
        return container;
    }

    static URI agent(JsonNode node) {
        JsonNode addresses = node.path("status").path("addresses");
        for (String type : ADDRESS_TYPES) {
            for (JsonNode address : addresses) {
                if (address.path("type").asText().equals(type) && !address.path("address").asText().isEmpty()) {
                    String host = address.path("address").asText();
                    int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
                    return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                            + (port > 0 ? port : DEFAULT_AGENT_PORT));
                }
            }
        }
        List<String> known = new ArrayList<>();
        addresses.forEach(a -> known.add("{" + a.path("type").asText() + " " + a.path("address").asText() + "}"));
        throw StatusException.internal("no preferred addresses found; known addresses: [" + String.join(" ", known) + "]");
    }

    /** The agent's URI for a path of the kubelet's (containerLogs, exec, attach) with a query. */
    URI agentPath(String verb, String query) {
        String path = "/" + verb + "/" + namespace + "/" + pod + "/" + container;
        return requireAgent().resolve(path + (query.isEmpty() ? "" : "?" + query));
    }
}
