package io.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.StatusException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The errors of strategic merge patch, with kube-apiserver's messages and codes. */
final class Errors {

    static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
    static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
    static final String BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

    private Errors() {}

    /** Malformed directives: 400, as interpretStrategicMergePatchError maps them. */
    static StatusException badRequest(String message) {
        return StatusException.badRequest(message);
    }

    /** A list of lists: 422. */
    static StatusException listOfLists() {
        return new StatusException(422, "Invalid", "lists of lists are not supported", null, null, null, List.of(), 0);
    }

    /**
     * Every other patch error is a plain Go error in Kubernetes, which reaches the client as a 500
     * with reason Unknown (empty) and the bare message: kubectl prints "Error from server: <message>".
     */
    static StatusException internal(String message) {
        return new StatusException(500, "", message, null, null, null, List.of(), 0);
    }

    static StatusException noMergeKey(JsonNode item, String key) {
        return internal("map: " + goMap(item) + " does not contain declared merge key: " + key);
    }

    /** A value the way Go's %v prints a map[string]interface{}: map[k:v ...], keys sorted. */
    static String goMap(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted.entrySet().stream().map(e -> e.getKey() + ":" + goMap(e.getValue()))
                    .collect(Collectors.joining(" ", "map[", "]"));
        }
        if (node.isArray()) {
            StringBuilder s = new StringBuilder("[");
            node.forEach(n -> s.append(s.length() > 1 ? " " : "").append(goMap(n)));
            return s.append(']').toString();
        }
        return node.isNull() ? "<nil>" : node.asText();
    }
}
