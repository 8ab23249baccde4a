package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/**
 * The DefaultTolerationSeconds admission plugin: every new pod tolerates a not-ready or
 * unreachable node for a while (300 s unless configured) before the node lifecycle controller
 * evicts it, unless the pod says otherwise.
 */
final class DefaultTolerations {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private DefaultTolerations() {}

    static void apply(ObjectNode pod, long notReadySeconds, long unreachableSeconds) {
        ObjectNode spec = Json.with(pod, "spec");
        JsonNode existing = spec.get("tolerations");
        ArrayNode tolerations = existing != null && existing.isArray() ? (ArrayNode) existing : Json.array();
        boolean notReady = tolerates(tolerations, NOT_READY);
        boolean unreachable = tolerates(tolerations, UNREACHABLE);
        if (!notReady) {
            tolerations.add(toleration(NOT_READY, notReadySeconds));
        }
        if (!unreachable) {
            tolerations.add(toleration(UNREACHABLE, unreachableSeconds));
        }
        if (!notReady || !unreachable) {
            spec.set("tolerations", tolerations);
        }
    }

    /** Whether a toleration already covers NoExecute taints with this key (an empty key with Exists covers all). */
    private static boolean tolerates(ArrayNode tolerations, String key) {
        for (JsonNode t : tolerations) {
            String effect = t.path("effect").asText("");
            boolean effectMatches = effect.isEmpty() || effect.equals("NoExecute");
            boolean keyMatches = t.path("key").asText("").equals(key)
                    || (t.path("key").asText("").isEmpty() && t.path("operator").asText("").equals("Exists"));
            if (effectMatches && keyMatches) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode toleration(String key, long seconds) {
        return Json.object().put("key", key).put("operator", "Exists").put("effect", "NoExecute").put("tolerationSeconds", seconds);
    }
}
