package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * OpenAPI v3 documents: the index of group-versions and, per group-version, the paths with
 * their operations and the kinds' schemas. Every write operation declares the fieldValidation
 * parameter, which tells kubectl to leave validation to the server.
 */
public final class OpenApiDocuments {

    private final ResourceRegistry types;

    public OpenApiDocuments(ResourceRegistry types) {
        this.types = types;
    }

    /** GET /openapi/v3 */
    public ObjectNode index() {
        ObjectNode doc = Json.object();
        ObjectNode paths = doc.putObject("paths");
        for (String gv : groupVersionPaths()) {
            String[] parts = gv.split("/");
            ObjectNode spec = parts[0].equals("api") ? groupVersion("", parts[1]) : groupVersion(parts[1], parts[2]);
            paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(spec));
        }
        return doc;
    }

    private List<String> groupVersionPaths() {
        List<String> paths = new ArrayList<>();
        if (!types.inGroupVersion("", "v1").isEmpty()) {
            paths.add("api/v1");
        }
        types.groups().forEach((g, versions) -> versions.forEach(v -> paths.add("apis/" + g + "/" + v)));
        return paths;
    }

    /** GET /openapi/v3/api/v1 or /openapi/v3/apis/G/V, or null when nothing is served there. */
    public ObjectNode groupVersion(String group, String version) {
        List<ResourceType> served = types.inGroupVersion(group, version);
        if (served.isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        for (ResourceType t : served) {
            String collection = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
            String item = collection + "/{name}";
            String ref = schemaName(t);
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
            schemas.set(ref, schema(t, false));
            schemas.set(ref + "List", schema(t, true));
        }
        return doc;
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
        } else {
            op.putObject("responses").putObject("200").put("description", "OK");
        }
        op.put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        return op;
    }

    private static ObjectNode schema(ResourceType t, boolean list) {
        ObjectNode s = Json.object().put("type", "object").put("description", (list ? t.listKind() : t.kind()) + " of " + t.apiVersion());
        ObjectNode props = s.putObject("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("metadata").put("type", "object");
        if (list) {
            props.putObject("items").put("type", "array").putObject("items").put("$ref", "#/components/schemas/" + schemaName(t));
        } else {
            props.putObject("spec").put("type", "object");
            props.putObject("status").put("type", "object");
        }
        s.putArray("x-kubernetes-group-version-kind").addObject()
                .put("group", t.group()).put("kind", list ? t.listKind() : t.kind()).put("version", t.version());
        return s;
    }

    /** "io.k8s.api.apps.v1.Deployment": the definition names Kubernetes uses. */
    static String schemaName(ResourceType t) {
        String pkg = t.group().isEmpty() ? "core" : t.group().split("\\.")[0];
        return "io.k8s.api." + pkg + "." + t.version() + "." + t.kind();
    }

    private static String hash(ObjectNode spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(Json.string(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 64);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
