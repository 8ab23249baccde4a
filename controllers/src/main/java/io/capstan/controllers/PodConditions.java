package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.capstan.api.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Pod conditions controllers set before they delete a pod, as Kubernetes' apipod.UpdatePodCondition does. */
public final class PodConditions {

    private PodConditions() {}

    /**
     * The conditions with DisruptionTarget=True for this reason and message in place of any earlier
     * one; null when exactly that is there already (nothing to write).
     */
    public static ArrayNode withDisruptionTarget(JsonNode conditions, String reason, String message, Instant now) {
        ArrayNode out = Json.array();
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals("DisruptionTarget")) {
                if (c.path("status").asText().equals("True") && c.path("reason").asText().equals(reason)) {
                    return null;
                }
                continue;
            }
            out.add(c);
        }
        out.addObject().put("type", "DisruptionTarget").put("status", "True").put("lastProbeTime", (String) null)
                .put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("reason", reason).put("message", message);
        return out;
    }
}
