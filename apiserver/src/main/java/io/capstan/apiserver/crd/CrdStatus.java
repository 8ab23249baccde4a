package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** The status Kubernetes gives a served definition: accepted names, stored versions, NamesAccepted and Established. */
final class CrdStatus {

    private CrdStatus() {}

    /** Sets the status of an accepted, established definition; conditions already true keep their transition time. */
    static ObjectNode accepted(ObjectNode crd, String now) {
        ObjectNode status = Json.with(crd, "status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode conditions = Json.array();
        conditions.add(condition(status, "NamesAccepted", "NoConflicts", "no conflicts found", now));
        conditions.add(condition(status, "Established", "InitialNamesAccepted", "the initial names have been accepted", now));
        status.set("conditions", conditions);
        ArrayNode stored = status.get("storedVersions") instanceof ArrayNode a ? a : status.putArray("storedVersions");
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean(false) && !contains(stored, v.path("name").asText())) {
                stored.add(v.path("name").asText());
            }
        }
        return crd;
    }

    private static ObjectNode condition(ObjectNode status, String type, String reason, String message, String now) {
        String since = now;
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True") && c.hasNonNull("lastTransitionTime")) {
                since = c.get("lastTransitionTime").asText();
            }
        }
        return Json.object().put("type", type).put("status", "True").put("lastTransitionTime", since)
                .put("reason", reason).put("message", message);
    }

    private static boolean contains(ArrayNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
