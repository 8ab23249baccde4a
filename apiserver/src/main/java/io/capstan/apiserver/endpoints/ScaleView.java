package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.CustomKind;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;

/**
 * The autoscaling/v1 Scale subresource of a scalable object: spec.replicas in, replicas and selector
 * out; a custom kind reads and writes at the paths its definition declares.
 */
final class ScaleView {

    private static final CustomKind.ScalePaths BUILTIN = new CustomKind.ScalePaths(".spec.replicas", ".status.replicas", null);

    private ScaleView() {}

    static ObjectNode of(ResourceType type, ObjectNode obj) {
        CustomKind.ScalePaths paths = paths(type);
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            JsonNode v = Json.at(obj, "metadata", f);
            if (v != null) {
                meta.set(f, v.deepCopy());
            }
        }
        scale.putObject("spec").put("replicas", at(obj, paths.specReplicasPath()).asInt(0));
        ObjectNode status = scale.putObject("status").put("replicas", at(obj, paths.statusReplicasPath()).asInt(0));
        if (paths.labelSelectorPath() != null) {
            JsonNode selector = at(obj, paths.labelSelectorPath());
            if (selector.isTextual()) {
                status.put("selector", selector.asText());
            }
        } else {
            JsonNode selector = Json.at(obj, "spec", "selector");
            if (selector != null) {
                status.put("selector", LabelSelector.fromJson(selector).toString());
            }
        }
        return scale;
    }

    /** Writes the replicas of a Scale back into its object. */
    static ObjectNode apply(ResourceType type, ObjectNode obj, ObjectNode scale) {
        JsonNode replicas = Json.at(scale, "spec", "replicas");
        if (replicas != null && !replicas.canConvertToInt()) {
            throw StatusException.badRequest("Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal "
                    + replicas.getNodeType().toString().toLowerCase() + " into Go struct field ScaleSpec.spec.replicas of type int32");
        }
        String[] path = segments(paths(type).specReplicasPath());
        ObjectNode parent = path.length > 1 ? Json.with(obj, java.util.Arrays.copyOf(path, path.length - 1)) : obj;
        parent.put(path[path.length - 1], replicas == null ? 0 : replicas.asInt());
        String rv = Json.text(scale, "metadata", "resourceVersion");
        if (rv != null && !rv.isEmpty()) {
            Json.with(obj, "metadata").put("resourceVersion", rv);
        }
        return obj;
    }

    private static CustomKind.ScalePaths paths(ResourceType type) {
        return type.custom() != null && type.custom().scale() != null ? type.custom().scale() : BUILTIN;
    }

    private static JsonNode at(JsonNode obj, String jsonPath) {
        JsonNode n = obj;
        for (String s : segments(jsonPath)) {
            n = n.path(s);
        }
        return n;
    }

    /** ".spec.replicas" as ["spec", "replicas"]. */
    private static String[] segments(String jsonPath) {
        return jsonPath.replaceFirst("^\\.", "").split("\\.");
    }
}
