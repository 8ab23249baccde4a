package io.capstan.client.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Patches;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ListPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** For tests: an in-memory API that records what a controller asked of it, as Kubernetes' fake clientset does. */
public final class FakeApi implements Api {

    private final Map<String, ObjectNode> objects = new TreeMap<>();
    private final List<String> actions = new ArrayList<>();
    private int generated;

    /** What was asked, one line per write: "delete configmaps default/d1 Background". */
    public List<String> actions() {
        return actions;
    }

    /** Stores an object as if it had been created earlier, giving it a uid and resourceVersion when missing. */
    public ObjectNode seed(ResourceType type, ObjectNode object) {
        ObjectNode meta = Json.with(object, "metadata");
        if (!meta.has("uid")) {
            meta.put("uid", UUID.randomUUID().toString());
        }
        meta.put("resourceVersion", "1");
        object.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        objects.put(key(type, meta.path("namespace").asText(""), meta.path("name").asText()), object);
        return object;
    }

    @Override
    public ObjectNode get(ResourceType type, String namespace, String name) {
        return find(type, namespace, name).orElseThrow(() -> StatusException.notFound(type, name));
    }

    @Override
    public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        ObjectNode obj = objects.get(key(type, namespace, name));
        return Optional.ofNullable(obj == null ? null : obj.deepCopy());
    }

    @Override
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (Json.text(copy, "metadata", "name") == null && Json.text(copy, "metadata", "generateName") != null) {
            Json.with(copy, "metadata").put("name", Json.text(copy, "metadata", "generateName") + (++generated));
        }
        actions.add("create " + type.plural() + " " + namespace + "/" + Json.text(copy, "metadata", "name"));
        return seed(type, copy);
    }

    @Override
    public ObjectNode createSubresource(ResourceType type, String namespace, String name, String subresource, ObjectNode body) {
        actions.add("create " + type.plural() + "/" + subresource + " " + path(namespace, name));
        get(type, namespace, name);
        return Json.object().put("kind", "Status").put("status", "Success");
    }

    @Override
    public ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode object) {
        actions.add("update " + type.plural() + (subresource.isEmpty() ? "" : "/" + subresource) + " " + path(namespace, name));
        get(type, namespace, name);
        return seed(type, object.deepCopy());
    }

    @Override
    public ObjectNode patch(ResourceType type, String namespace, String name, String subresource, String patchType, JsonNode patch) {
        actions.add("patch " + type.plural() + " " + path(namespace, name) + " " + Json.string(patch));
        ObjectNode next = Patches.mergePatch(get(type, namespace, name), patch);
        return seed(type, next);
    }

    @Override
    public ObjectNode delete(ResourceType type, String namespace, String name, String propagationPolicy, String preconditionUid) {
        actions.add("delete " + type.plural() + " " + path(namespace, name) + " " + propagationPolicy);
        ObjectNode obj = get(type, namespace, name);
        if (preconditionUid != null && !preconditionUid.equals(Json.text(obj, "metadata", "uid"))) {
            throw StatusException.conflict(type, name, "Precondition failed");
        }
        objects.remove(key(type, namespace, name));
        return obj;
    }

    @Override
    public ObjectNode deleteImmediately(ResourceType type, String namespace, String name, String preconditionUid) {
        return delete(type, namespace, name, "Immediately", preconditionUid);
    }

    @Override
    public ListPage listAll(ResourceType type, String namespace, Map<String, String> query) {
        String prefix = type.qualifiedResource() + "/" + (namespace == null ? "" : namespace) + "/";
        List<ObjectNode> items = objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> e.getValue().deepCopy()).toList();
        return new ListPage(items, "1", "");
    }

    private static String key(ResourceType type, String namespace, String name) {
        return type.qualifiedResource() + "/" + (type.namespaced() ? namespace : "") + "/" + name;
    }

    private static String path(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
