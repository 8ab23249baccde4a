package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import java.util.List;

/**
 * The paths and operations of one kind in an OpenAPI document. Every write declares the
 * fieldValidation parameter, which tells kubectl the server validates fields itself.
 */
final class Operations {

    static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    private static final List<String> CUSTOM_PATCHES =
            List.of("application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json");
    private static final List<String> BUILTIN_PATCHES = List.of("application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json");

    private Operations() {}

    static void add(ObjectNode paths, String base, ResourceType t, String ref) {
        String collection = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
        String item = collection + "/{name}";
        ObjectNode c = paths.putObject(collection);
        c.set("get", operation(t, "list", ref + "List", false));
        c.set("post", operation(t, "post", ref, true));
        c.set("delete", operation(t, "deletecollection", null, false));
        ObjectNode i = paths.putObject(item);
        i.set("get", operation(t, "get", ref, false));
        i.set("put", operation(t, "put", ref, true));
        i.set("patch", operation(t, "patch", ref, true));
        i.set("delete", operation(t, "delete", null, false));
        if (t.hasStatus()) {
            ObjectNode s = paths.putObject(item + "/status");
            s.set("get", operation(t, "get", ref, false));
            s.set("put", operation(t, "put", ref, true));
            s.set("patch", operation(t, "patch", ref, true));
        }
    }

    private static ObjectNode operation(ResourceType t, String action, String ref, boolean write) {
        ObjectNode op = Json.object().put("operationId", action + t.kind());
        ArrayNode params = op.putArray("parameters");
        if (write) {
            params.addObject().put("name", "fieldValidation").put("in", "query").put("description",
                    "fieldValidation instructs the server on how to handle objects in the request containing unknown or "
                            + "duplicate fields. Valid values are: Ignore, Warn and Strict.")
                    .putObject("schema").put("type", "string").put("uniqueItems", true);
            params.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type", "string");
            params.addObject().put("name", "fieldManager").put("in", "query").putObject("schema").put("type", "string");
        }
        if (ref != null) {
            ObjectNode ok = op.putObject("responses").putObject("200");
            ok.put("description", "OK").putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/" + ref);
            if (write && !action.equals("patch")) {
                op.putObject("requestBody").putObject("content").putObject("*/*").putObject("schema")
                        .put("$ref", "#/components/schemas/" + ref);
            }
            if (action.equals("patch")) {
                // kubectl apply computes a strategic merge patch only where the operation lists its media type.
                ObjectNode body = op.putObject("requestBody");
                ObjectNode content = body.putObject("content");
                for (String media : t.custom() != null ? CUSTOM_PATCHES : BUILTIN_PATCHES) {
                    content.putObject(media).putObject("schema").put("$ref", "#/components/schemas/" + PATCH);
                }
                body.put("required", true);
            }
        } else {
            op.putObject("responses").putObject("200").put("description", "OK");
        }
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        return op;
    }
}
