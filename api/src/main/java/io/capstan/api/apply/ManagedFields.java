package io.capstan.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** metadata.managedFields: who owns which fields, read from and written to an object. */
final class ManagedFields {

    /**
     * Who manages fields. Appliers are one manager whatever version they applied with; updaters are one per version.
     *
     * @param apiVersion the version of an Update entry; "" for Apply
     */
    record Manager(String name, boolean applied, String apiVersion, String subresource) {

        /** How conflicts name the manager: "kubectl" or "kubectl-edit" using apps/v1. */
        String display() {
            String s = io.capstan.api.FieldError.quote(name);
            if (!subresource.isEmpty()) {
                s += " with subresource " + io.capstan.api.FieldError.quote(subresource);
            }
            return applied ? s : s + " using " + apiVersion;
        }
    }

    /** What a manager owns, at which version, and when it last changed something. */
    record Entry(FieldSet fields, String apiVersion, String time) {}

    private ManagedFields() {}

    /** The entries of an object; throws IllegalArgumentException when they are malformed. */
    static Map<Manager, Entry> decode(JsonNode obj) {
        Map<Manager, Entry> out = new LinkedHashMap<>();
        JsonNode list = Json.at(obj, "metadata", "managedFields");
        if (list == null) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        for (JsonNode e : list) {
            String operation = e.path("operation").asText();
            if (!operation.equals("Apply") && !operation.equals("Update")) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String apiVersion = e.path("apiVersion").asText();
            if (apiVersion.isEmpty()) {
                throw new IllegalArgumentException("apiVersion must not be empty");
            }
            if (!e.path("fieldsType").asText().equals("FieldsV1")) {
                throw new IllegalArgumentException("invalid fieldsType in managed fields entry");
            }
            boolean applied = operation.equals("Apply");
            Manager m = new Manager(e.path("manager").asText(), applied, applied ? "" : apiVersion, e.path("subresource").asText());
            String time = e.hasNonNull("time") ? e.get("time").asText() : null;
            out.put(m, new Entry(FieldSet.fromJson(e.get("fieldsV1")), apiVersion, time));
        }
        return out;
    }

    /** Writes the entries into the object's metadata, in Kubernetes' order; none removes the field. */
    static void encode(ObjectNode obj, Map<Manager, Entry> managed) {
        ObjectNode meta = Json.with(obj, "metadata");
        if (managed.isEmpty()) {
            meta.remove("managedFields");
            return;
        }
        List<Map.Entry<Manager, Entry>> sorted = new ArrayList<>(managed.entrySet());
        sorted.sort(Comparator.<Map.Entry<Manager, Entry>, String>comparing(e -> e.getKey().applied() ? "Apply" : "Update")
                .thenComparing(e -> e.getValue().time() == null ? "" : e.getValue().time())
                .thenComparing(e -> e.getKey().name())
                .thenComparing(e -> e.getValue().apiVersion())
                .thenComparing(e -> e.getKey().subresource()));
        ArrayNode list = meta.putArray("managedFields");
        for (Map.Entry<Manager, Entry> e : sorted) {
            ObjectNode o = list.addObject();
            o.put("manager", e.getKey().name());
            o.put("operation", e.getKey().applied() ? "Apply" : "Update");
            o.put("apiVersion", e.getValue().apiVersion());
            if (e.getValue().time() != null) {
                o.put("time", e.getValue().time());
            }
            o.put("fieldsType", "FieldsV1");
            o.set("fieldsV1", e.getValue().fields().toJson());
            if (!e.getKey().subresource().isEmpty()) {
                o.put("subresource", e.getKey().subresource());
            }
        }
    }
}
