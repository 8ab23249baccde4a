package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A Job's status.conditions: finding them, and setting them the way the Job controller does. */
final class JobConditions {

    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUSPENDED = "Suspended";

    /** A condition about to be set: type, reason and message. */
    record Condition(String type, String reason, String message) {}

    private JobConditions() {}

    static JsonNode find(JsonNode job, String type) {
        return inStatus(job.path("status"), type);
    }

    static JsonNode inStatus(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    static boolean isTrue(JsonNode job, String type) {
        JsonNode c = find(job, type);
        return c != null && c.path("status").asText().equals("True");
    }

    /** Complete or Failed: the Job controller is done with it. */
    static boolean finished(JsonNode job) {
        return isTrue(job, COMPLETE) || isTrue(job, FAILED);
    }

    /** When a finished Job finished: its completionTime, or its Failed condition's transition. */
    static Instant finishedAt(JsonNode job) {
        String t = job.path("status").path("completionTime").asText("");
        if (t.isEmpty()) {
            JsonNode failed = find(job, FAILED);
            t = failed == null ? "" : failed.path("lastTransitionTime").asText("");
        }
        try {
            return t.isEmpty() ? null : Instant.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Sets a condition on status: a missing one is added only when True; an existing one changes
     * only when its status differs (then reason, message and times follow). True when it changed.
     */
    static boolean ensure(ObjectNode status, String type, boolean value, String reason, String message, Instant now) {
        if (!value && !(status.get("conditions") instanceof ArrayNode)) {
            return false;
        }
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        String wanted = value ? "True" : "False";
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals(type)) {
                if (c.path("status").asText().equals(wanted)) {
                    return false;
                }
                fill((ObjectNode) c, wanted, reason, message, now);
                return true;
            }
        }
        if (!value) {
            return false;
        }
        conditions.add(fill(Json.object().put("type", type), wanted, reason, message, now));
        return true;
    }

    private static ObjectNode fill(ObjectNode c, String status, String reason, String message, Instant now) {
        String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return c.put("status", status).put("lastProbeTime", t).put("lastTransitionTime", t).put("reason", reason).put("message", message);
    }
}
