package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.StatusException;

/** The autoscaling/v1 Scale subresource of a scalable object: spec.replicas in, replicas and selector out. */
final class ScaleView {

    private ScaleView() {}

    static ObjectNode of(ObjectNode obj) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            JsonNode v = Json.at(obj, "metadata", f);
            if (v != null) {
                meta.set(f, v.deepCopy());
            }
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status").put("replicas", obj.path("status").path("replicas").asInt(0));
        JsonNode selector = Json.at(obj, "spec", "selector");
        if (selector != null) {
            status.put("selector", LabelSelector.fromJson(selector).toString());
        }
        return scale;
    }

    /** Writes the replicas of a Scale back into its object. */
    static ObjectNode apply(ObjectNode obj, ObjectNode scale) {
        JsonNode replicas = Json.at(scale, "spec", "replicas");
        if (replicas != null && !replicas.canConvertToInt()) {
            throw StatusException.badRequest("Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal "
                    + replicas.getNodeType().toString().toLowerCase() + " into Go struct field ScaleSpec.spec.replicas of type int32");
        }
        Json.with(obj, "spec").put("replicas", replicas == null ? 0 : replicas.asInt());
        String rv = Json.text(scale, "metadata", "resourceVersion");
        if (rv != null && !rv.isEmpty()) {
            Json.with(obj, "metadata").put("resourceVersion", rv);
        }
        return obj;
    }
}
