package io.capstan.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the fields a structural schema does not specify, as Kubernetes prunes custom objects:
 * fields under {@code x-kubernetes-preserve-unknown-fields: true} or a map's additionalProperties
 * stay, and so do apiVersion, kind and metadata at the root and in embedded resources.
 */
public final class SchemaPruner {

    private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");

    private SchemaPruner() {}

    /** The paths ("spec.foo", "spec.items[0].bar") of fields that pruning would drop, leaving obj as it is. */
    public static List<String> unknownFields(JsonNode schema, JsonNode obj) {
        List<String> unknown = new ArrayList<>();
        if (schema != null) {
            walk(schema, obj, "", true, false, unknown);
        }
        return unknown;
    }

    /** Drops the unspecified fields from obj; returns their paths. */
    public static List<String> prune(JsonNode schema, ObjectNode obj) {
        List<String> pruned = new ArrayList<>();
        if (schema != null) {
            walk(schema, obj, "", true, true, pruned);
        }
        return pruned;
    }

    private static void walk(JsonNode s, JsonNode v, String path, boolean keepTypeMeta, boolean drop, List<String> out) {
        if (v == null || s == null) {
            return;
        }
        if (v.isArray()) {
            JsonNode items = s.get("items");
            if (items != null && items.isObject()) {
                for (int i = 0; i < v.size(); i++) {
                    walk(items, v.get(i), path + "[" + i + "]", items.path("x-kubernetes-embedded-resource").asBoolean(false), drop, out);
                }
            }
            return;
        }
        if (!v.isObject()) {
            return;
        }
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        JsonNode properties = s.path("properties");
        JsonNode additional = s.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = v.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey();
            String child = SchemaValidator.join(path, name);
            if (keepTypeMeta && TYPE_META.contains(name)) {
                continue;
            }
            JsonNode sub = properties.get(name);
            if (sub == null && additional != null && additional.isObject()) {
                sub = additional;
            }
            if (sub != null) {
                walk(sub, e.getValue(), child, sub.path("x-kubernetes-embedded-resource").asBoolean(false), drop, out);
            } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                out.add(child);
                if (drop) {
                    fields.remove();
                }
            }
        }
    }
}
