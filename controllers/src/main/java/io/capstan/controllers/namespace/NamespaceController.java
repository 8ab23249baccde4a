package io.capstan.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Empties a terminating namespace: deletes everything of every namespaced kind in it (custom
 * kinds too), reports what is left in the namespace's conditions, and once nothing is left takes
 * its `kubernetes` finalizer off, so the API server removes it.
 */
public final class NamespaceController implements Reconciler {

    static final String FINALIZER = "kubernetes";
    private static final Duration RECHECK = Duration.ofSeconds(2);

    private final Api api;
    private final ResourceType namespaces;
    private final Supplier<List<ResourceType>> kinds;

    /**
     * @param kinds the deletable kinds the API serves now (read again on every pass, so new custom kinds count)
     */
    public NamespaceController(Api api, ResourceType namespaces, Supplier<List<ResourceType>> kinds) {
        this.api = api;
        this.namespaces = namespaces;
        this.kinds = kinds;
    }

    @Override
    public Result reconcile(String name) {
        Optional<ObjectNode> found = api.find(namespaces, "", name);
        if (found.isEmpty()) {
            return Result.done();
        }
        ObjectNode ns = found.get();
        if (Json.at(ns, "metadata", "deletionTimestamp") == null || !specFinalizers(ns).contains(FINALIZER)) {
            return Result.done();
        }
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        for (ResourceType type : kinds.get()) {
            if (!type.namespaced()) {
                continue;
            }
            for (ObjectNode obj : api.listAll(type, name, Map.of()).items()) {
                remaining.merge(type.qualifiedResource(), 1, Integer::sum);
                obj.path("metadata").path("finalizers").forEach(f -> finalizers.merge(f.asText(), 1, Integer::sum));
                if (Json.at(obj, "metadata", "deletionTimestamp") == null) {
                    delete(type, name, obj);
                }
            }
        }
        writeConditions(ns, remaining, finalizers);
        if (!remaining.isEmpty()) {
            return Result.requeueAfter(RECHECK);
        }
        ObjectNode finalize = ns.deepCopy();
        ArrayNode kept = Json.with(finalize, "spec").putArray("finalizers");
        specFinalizers(ns).stream().filter(f -> !f.equals(FINALIZER)).forEach(kept::add);
        api.update(namespaces, "", name, "finalize", finalize);
        return Result.done();
    }

    private void delete(ResourceType type, String namespace, ObjectNode obj) {
        try {
            api.delete(type, namespace, Json.text(obj, "metadata", "name"), "Background", Json.text(obj, "metadata", "uid"));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }

    /** Sets NamespaceContentRemaining and NamespaceFinalizersRemaining as Kubernetes' namespace controller words them. */
    private void writeConditions(ObjectNode ns, Map<String, Integer> remaining, Map<String, Integer> finalizers) {
        ObjectNode next = ns.deepCopy();
        ArrayNode conditions = Json.with(next, "status").putArray("conditions");
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        conditions.add(condition(ns, "NamespaceContentRemaining", !remaining.isEmpty(),
                remaining.isEmpty() ? "ContentRemoved" : "SomeResourcesRemain",
                remaining.isEmpty() ? "All content successfully removed" : "Some resources are remaining: " + join(remaining, " has %d resource instances"),
                now));
        conditions.add(condition(ns, "NamespaceFinalizersRemaining", !finalizers.isEmpty(),
                finalizers.isEmpty() ? "ContentHasNoFinalizers" : "SomeFinalizersRemain",
                finalizers.isEmpty() ? "All content-preserving finalizers finished"
                        : "Some content in the namespace has finalizers remaining: " + join(finalizers, " in %d resource instances"),
                now));
        if (!next.path("status").path("conditions").equals(ns.path("status").path("conditions"))) {
            try {
                api.update(namespaces, "", Json.text(ns, "metadata", "name"), "status", next);
            } catch (StatusException e) {
                if (e.code() != 409 && e.code() != 404) {
                    throw e;
                }
            }
        }
    }

    private static ObjectNode condition(ObjectNode ns, String type, boolean status, String reason, String message, String now) {
        String since = now;
        for (JsonNode c : ns.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals(status ? "True" : "False")
                    && c.path("message").asText().equals(message)) {
                since = c.path("lastTransitionTime").asText(now);
            }
        }
        return Json.object().put("type", type).put("status", status ? "True" : "False").put("lastTransitionTime", since)
                .put("reason", reason).put("message", message);
    }

    private static String join(Map<String, Integer> counts, String format) {
        return String.join(", ", counts.entrySet().stream().map(e -> e.getKey() + String.format(format, e.getValue())).toList());
    }

    private static List<String> specFinalizers(ObjectNode ns) {
        List<String> list = new java.util.ArrayList<>();
        ns.path("spec").path("finalizers").forEach(f -> list.add(f.asText()));
        return list;
    }
}
