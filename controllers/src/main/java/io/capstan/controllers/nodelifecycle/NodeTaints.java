package io.capstan.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/** The taints the node lifecycle controller owns, and how a node's taint list changes when it adds or removes one. */
final class NodeTaints {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final String NO_SCHEDULE = "NoSchedule";
    static final String NO_EXECUTE = "NoExecute";

    /** Which condition status gives which NoSchedule taint, as nodeConditionToTaintKeyStatusMap says. */
    static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
            "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
            "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
            "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
            "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"),
            "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"));

    /** NoSchedule taints with these keys are this controller's to add and remove. */
    static final Set<String> MANAGED_NO_SCHEDULE = Set.of(NOT_READY, UNREACHABLE, UNSCHEDULABLE,
            "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/network-unavailable", "node.kubernetes.io/pid-pressure");

    private NodeTaints() {}

    static boolean has(JsonNode taints, String key, String effect) {
        for (JsonNode t : taints) {
            if (t.path("key").asText().equals(key) && t.path("effect").asText().equals(effect)) {
                return true;
            }
        }
        return false;
    }

    /** The list without the taint (key and effect). */
    static ArrayNode without(JsonNode taints, String key, String effect) {
        ArrayNode out = Json.array();
        for (JsonNode t : taints) {
            if (!(t.path("key").asText().equals(key) && t.path("effect").asText().equals(effect))) {
                out.add(t);
            }
        }
        return out;
    }

    /** The list with the taint appended, stamped with timeAdded as SwapNodeControllerTaint does; unchanged when present. */
    static ArrayNode with(JsonNode taints, String key, String effect, Instant now) {
        ArrayNode out = taints.isArray() ? ((ArrayNode) taints).deepCopy() : Json.array();
        if (!has(out, key, effect)) {
            out.addObject().put("key", key).put("effect", effect).put("timeAdded", now.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return out;
    }
}
