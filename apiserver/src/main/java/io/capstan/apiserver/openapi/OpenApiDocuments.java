package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAPI v3 documents: the index of group-versions and, per group-version, the paths with their
 * operations and the component schemas of the kinds served there (built-in kinds from their
 * models, custom kinds from their definitions' schemas). Documents are built once per set of
 * served kinds and carry the hash kubectl caches them by.
 */
public final class OpenApiDocuments {

    /**
     * One group-version's document, serialized, with its hash.
     *
     * @param hash what /openapi/v3 puts in serverRelativeURL and the ETag carries
     */
    public record Document(List<ResourceType> kinds, byte[] json, String hash) {}

    private static final String METADATA_DOCS = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private final ResourceRegistry types;
    private final Map<String, Document> cache = new ConcurrentHashMap<>();

    public OpenApiDocuments(ResourceRegistry types) {
        this.types = types;
    }

    /** Builds every document ahead of the first request (the first build loads and inspects hundreds of model classes). */
    public void warm() {
        index();
    }

    /** GET /openapi/v3 */
    public ObjectNode index() {
        ObjectNode doc = Json.object();
        ObjectNode paths = doc.putObject("paths");
        for (String gv : groupVersionPaths()) {
            String[] parts = gv.split("/");
            Document spec = parts[0].equals("api") ? groupVersion("", parts[1]) : groupVersion(parts[1], parts[2]);
            if (spec != null) {
                paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + spec.hash());
            }
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

    /** The document of /openapi/v3/api/v1 or /openapi/v3/apis/G/V, or null when nothing is served there. */
    public Document groupVersion(String group, String version) {
        List<ResourceType> served = types.inGroupVersion(group, version);
        if (served.isEmpty()) {
            return null;
        }
        String key = group + "/" + version;
        Document cached = cache.get(key);
        if (cached != null && cached.kinds().equals(served)) {
            return cached;
        }
        byte[] json = Json.bytes(build(group, version, served));
        Document doc = new Document(served, json, hash(json));
        cache.put(key, doc);
        return doc;
    }

    private static ObjectNode build(String group, String version, List<ResourceType> served) {
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        ModelSchemas schemas = new ModelSchemas();
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        for (ResourceType t : served) {
            String ref = t.custom() != null ? CustomSchemas.add(t, schemas) : builtin(t, schemas);
            Operations.add(paths, base, t, ref);
        }
        schemas.put(Operations.PATCH, Json.object().put("description", "Patch is provided to give a concrete name and type to the "
                + "Kubernetes PATCH request body.").put("type", "object"));
        ObjectNode components = doc.putObject("components").putObject("schemas");
        schemas.components().forEach(components::set);
        return doc;
    }

    /** Adds a built-in kind and its list with their group-version-kinds; returns the kind's definition name. */
    private static String builtin(ResourceType t, ModelSchemas schemas) {
        String name = schemas.add(t.modelClass());
        ObjectNode kind = schemas.components().get(name).deepCopy(); // shared between documents: never changed in place
        gvk(kind, t, t.kind());
        describeMetadata(kind, "Standard object's metadata. More info: " + METADATA_DOCS);
        schemas.put(name, kind);
        Class<?> listClass = listClass(t.modelClass());
        ObjectNode list;
        if (listClass != null) {
            String listName = schemas.add(listClass);
            list = schemas.components().get(listName).deepCopy();
            schemas.put(listName, list);
        } else {
            list = Json.object().put("type", "object");
            ObjectNode props = list.putObject("properties");
            props.putObject("apiVersion").put("type", "string");
            props.putObject("kind").put("type", "string");
            props.putObject("metadata").put("$ref", "#/components/schemas/" + schemas.add(io.fabric8.kubernetes.api.model.ListMeta.class));
            props.putObject("items").put("type", "array").putObject("items").put("$ref", "#/components/schemas/" + name);
            schemas.put(name + "List", list);
        }
        list.putArray("required").add("items");
        gvk(list, t, t.listKind());
        describeMetadata(list, "Standard list metadata. More info: " + METADATA_DOCS);
        return name;
    }

    /** The description Kubernetes gives every kind's metadata field (the models' documentation lacks it). */
    private static void describeMetadata(ObjectNode schema, String description) {
        if (schema.path("properties").get("metadata") instanceof ObjectNode meta && !meta.has("description")) {
            ObjectNode described = Json.object();
            described.putArray("allOf").add(meta);
            described.put("description", description);
            ((ObjectNode) schema.get("properties")).set("metadata", described);
        }
    }

    private static Class<?> listClass(Class<?> model) {
        try {
            return Class.forName(model.getName() + "List", false, model.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static void gvk(ObjectNode schema, ResourceType t, String kind) {
        ArrayNode gvks = schema.putArray("x-kubernetes-group-version-kind");
        gvks.addObject().put("group", t.group()).put("kind", kind).put("version", t.version());
    }

    static String hashOf(byte[] json) {
        return hash(json);
    }

    private static String hash(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(json);
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 64);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON of a document, for tests and for callers that want a tree. */
    public static ObjectNode tree(Document doc) {
        return Json.parseObject(doc.json());
    }
}
