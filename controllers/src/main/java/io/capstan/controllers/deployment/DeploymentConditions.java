package io.capstan.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** The Available and Progressing conditions of a Deployment, with Kubernetes' reasons and timestamps. */
final class DeploymentConditions {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";

    private DeploymentConditions() {}

    static JsonNode get(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Sets a condition: lastTransitionTime moves only when the status value changes, and
     * lastUpdateTime only when something about the condition changes (as SetDeploymentCondition).
     */
    static void set(ObjectNode status, String type, String value, String reason, String message, String now) {
        JsonNode old = get(status, type);
        if (old != null && old.path("status").asText().equals(value) && old.path("reason").asText().equals(reason)
                && old.path("message").asText().equals(message)) {
            return;
        }
        ObjectNode c = Json.object().put("type", type).put("status", value)
                .put("lastUpdateTime", now)
                .put("lastTransitionTime", old != null && old.path("status").asText().equals(value) ? old.path("lastTransitionTime").asText(now) : now)
                .put("reason", reason).put("message", message);
        ArrayNode next = Json.array();
        boolean placed = false;
        for (JsonNode existing : status.path("conditions")) {
            if (existing.path("type").asText().equals(type)) {
                next.add(c);
                placed = true;
            } else {
                next.add(existing);
            }
        }
        if (!placed) {
            next.add(c);
        }
        status.set("conditions", next);
    }
}
