package io.capstan.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.client.ObjectCache;
import io.capstan.controllers.ServicePods;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints a Service should have, grouped by their resolved port list: pods whose named target ports resolve to
 * different numbers land in different groups, and so in different slices (as the reconciler's endpointMeta does).
 */
final class DesiredEndpoints {

    /** One port list and the endpoints (by pod name) that share it. */
    record Group(ArrayNode ports, Map<String, ObjectNode> endpoints) {}

    private DesiredEndpoints() {}

    static Map<String, Group> of(JsonNode svc, List<ObjectNode> pods, ObjectCache nodes) {
        boolean publishNotReady = svc.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        Map<String, Group> groups = new LinkedHashMap<>();
        for (ObjectNode pod : pods) {
            String ip = ServicePods.ipv4(pod);
            if (!ServicePods.inEndpoints(pod, true) || ip == null) {
                continue;
            }
            ArrayNode ports = ports(svc, pod);
            groups.computeIfAbsent(Json.string(ports), k -> new Group(ports, new LinkedHashMap<>()))
                    .endpoints().put(Json.text(pod, "metadata", "name"), endpoint(svc, pod, ip, publishNotReady, nodes));
        }
        return groups;
    }

    /** The Service's ports as this pod offers them; a named target port the pod lacks is left out. */
    static ArrayNode ports(JsonNode svc, JsonNode pod) {
        ArrayNode ports = Json.array();
        for (JsonNode sp : svc.path("spec").path("ports")) {
            Integer number = ServicePods.findPort(pod, sp);
            if (number == null) {
                continue;
            }
            ObjectNode p = ports.addObject().put("name", sp.path("name").asText("")).put("port", number)
                    .put("protocol", sp.path("protocol").asText("TCP"));
            if (sp.hasNonNull("appProtocol")) {
                p.put("appProtocol", sp.path("appProtocol").asText());
            }
        }
        return ports;
    }

    /** podToEndpoint: ready only when serving and not terminating (or when not-ready addresses are published). */
    static ObjectNode endpoint(JsonNode svc, ObjectNode pod, String ip, boolean publishNotReady, ObjectCache nodes) {
        boolean serving = publishNotReady || io.capstan.controllers.Pods.ready(pod);
        boolean terminating = ServicePods.terminating(pod);
        boolean ready = publishNotReady || serving && !terminating;
        ObjectNode ep = Json.object();
        ep.putArray("addresses").add(ip);
        ep.putObject("conditions").put("ready", ready).put("serving", serving).put("terminating", terminating);
        if (ServicePods.setsHostname(pod, svc)) {
            ep.put("hostname", pod.path("spec").path("hostname").asText());
        }
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (!nodeName.isEmpty()) {
            ep.put("nodeName", nodeName);
            String zone = nodes.get("", nodeName).map(n -> Json.text(n, "metadata", "labels", "topology.kubernetes.io/zone")).orElse(null);
            if (zone != null && !zone.isEmpty()) {
                ep.put("zone", zone);
            }
        }
        ep.putObject("targetRef").put("kind", "Pod").put("namespace", Json.text(pod, "metadata", "namespace"))
                .put("name", Json.text(pod, "metadata", "name")).put("uid", Json.text(pod, "metadata", "uid"));
        return ep;
    }
}
