package io.capstan.network.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/** What policy enforcement needs to know of a pod: whether it has an address of its own in the pod network, and its ports. */
final class PolicyPods {

    private PolicyPods() {}

    /**
     * The pod's address, or "" when it has none that policies can speak of: not started yet, finished (its address
     * may already be another pod's), or on the host's network (policies do not apply to the host's network).
     */
    static String ip(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText();
        if (pod.path("spec").path("hostNetwork").asBoolean() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return "";
        }
        for (JsonNode ip : pod.path("status").path("podIPs")) {
            if (!ip.path("ip").asText().contains(":") && !ip.path("ip").asText().isEmpty()) {
                return ip.path("ip").asText();
            }
        }
        String ip = pod.path("status").path("podIP").asText("");
        return ip.contains(":") ? "" : ip;
    }

    static String namespace(JsonNode object) {
        return object.path("metadata").path("namespace").asText();
    }

    /** The number of the container port named {@code name} with this protocol, as a named port in a policy resolves. */
    static OptionalInt namedPort(JsonNode pod, String name, String protocol) {
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (port.path("name").asText().equals(name) && port.path("protocol").asText("TCP").equals(protocol)) {
                    return OptionalInt.of(port.path("containerPort").asInt());
                }
            }
        }
        return OptionalInt.empty();
    }
}
