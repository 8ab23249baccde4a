package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Whether a pod's tolerations tolerate a node taint, as v1.Toleration.ToleratesTaint decides. */
public final class Tolerations {

    private Tolerations() {}

    /** Some toleration matches: same effect (or none), same key (or none), and Exists or an equal value. */
    public static boolean tolerates(JsonNode tolerations, String key, String value, String effect) {
        for (JsonNode t : tolerations) {
            String tEffect = t.path("effect").asText("");
            String tKey = t.path("key").asText("");
            if ((!tEffect.isEmpty() && !tEffect.equals(effect)) || (!tKey.isEmpty() && !tKey.equals(key))) {
                continue;
            }
            String op = t.path("operator").asText("");
            if (op.equals("Exists") || ((op.equals("Equal") || op.isEmpty()) && t.path("value").asText("").equals(value))) {
                return true;
            }
        }
        return false;
    }
}
