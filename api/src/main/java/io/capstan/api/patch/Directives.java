package io.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.Map;

/** Cleans patch values that are copied into the object whole. */
final class Directives {

    private Directives() {}

    /** The value without directives; null when the value itself is a directive ({@code {"$patch": ...}}). */
    static JsonNode strip(JsonNode value) {
        if (value.isObject()) {
            if (value.has(StrategicMergePatch.PATCH)) {
                return null;
            }
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                JsonNode v = strip(e.getValue());
                if (v != null) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = Json.array();
            for (JsonNode item : value) {
                JsonNode v = strip(item);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    /** The value with every null field dropped (nulls delete, and there is nothing to delete in a new value). */
    static JsonNode dropNulls(JsonNode value) {
        if (value.isObject()) {
            ((ObjectNode) value).properties().removeIf(e -> e.getValue().isNull());
            value.forEach(Directives::dropNulls);
        } else if (value.isArray()) {
            value.forEach(Directives::dropNulls);
        }
        return value;
    }
}
