package io.capstan.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Fills absent fields with the {@code default} their schema gives, at every depth where the parent object exists. */
public final class SchemaDefaulter {

    private SchemaDefaulter() {}

    public static void apply(JsonNode schema, JsonNode obj) {
        if (schema != null && obj != null) {
            walk(schema, obj, true);
        }
    }

    private static void walk(JsonNode s, JsonNode v, boolean root) {
        if (v.isArray()) {
            JsonNode items = s.get("items");
            if (items != null && items.isObject()) {
                v.forEach(item -> walk(items, item, false));
            }
            return;
        }
        if (!(v instanceof ObjectNode obj)) {
            return;
        }
        JsonNode properties = s.path("properties");
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            if (root && p.getKey().equals("metadata")) {
                continue;
            }
            if (!obj.has(p.getKey()) && p.getValue().has("default")) {
                obj.set(p.getKey(), p.getValue().get("default").deepCopy());
            }
        }
        JsonNode additional = s.get("additionalProperties");
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (root && e.getKey().equals("metadata")) {
                continue;
            }
            JsonNode sub = properties.get(e.getKey());
            if (sub == null && additional != null && additional.isObject()) {
                sub = additional;
            }
            if (sub != null && !e.getValue().isNull()) {
                walk(sub, e.getValue(), false);
            }
        }
    }
}
