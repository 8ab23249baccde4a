package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Whether a pod's tolerations let it stay on a node with a taint, as v1.Toleration.ToleratesTaint decides. */
public final class Tolerations {

    private Tolerations() {}

    /** Whether one toleration matches the taint: same effect (or any), same key (or any with Exists), value equal unless Exists. */
    public static boolean tolerates(JsonNode toleration, JsonNode taint) {
        String effect = toleration.path("effect").asText("");
        if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText(""))) {
            return false;
        }
        String key = toleration.path("key").asText("");
        String operator = toleration.path("operator").asText("");
        if (key.isEmpty()) {
            return operator.equals("Exists");
        }
        if (!key.equals(taint.path("key").asText(""))) {
            return false;
        }
        return switch (operator) {
            case "Exists" -> true;
            case "", "Equal" -> toleration.path("value").asText("").equals(taint.path("value").asText(""));
            default -> false;
        };
    }

    /** The first of the tolerations that matches the taint, or null when none does. */
    public static JsonNode matching(JsonNode tolerations, JsonNode taint) {
        for (JsonNode t : tolerations) {
            if (tolerates(t, taint)) {
                return t;
            }
        }
        return null;
    }

    /** Whether some toleration in the list tolerates a taint given by key, value and effect. */
    public static boolean tolerates(JsonNode tolerations, String key, String value, String effect) {
        JsonNode taint = Json.object().put("key", key).put("value", value).put("effect", effect);
        return matching(tolerations, taint) != null;
    }
}
