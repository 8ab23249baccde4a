package io.capstan.controllers.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The garbage collector of ownerReferences, keyed by uid, as Kubernetes' does it: a dependent
 * whose owners are all gone is deleted; an owner deleted with the `orphan` finalizer first frees
 * its dependents; an owner deleted with `foregroundDeletion` first deletes its dependents and
 * waits for the blocking ones.
 */
public final class GarbageCollector implements Reconciler {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final Api api;
    private final OwnerGraph graph;
    private final Function<OwnerRef, Optional<ResourceType>> kinds;

    /**
     * @param kinds finds the served kind an owner reference names (by apiVersion and kind)
     */
    GarbageCollector(Api api, OwnerGraph graph, Function<OwnerRef, Optional<ResourceType>> kinds) {
        this.api = api;
        this.graph = graph;
        this.kinds = kinds;
    }

    @Override
    public Result reconcile(String uid) {
        Optional<GraphNode> found = graph.node(uid);
        if (found.isEmpty()) {
            return Result.done();
        }
        GraphNode node = found.get();
        if (node.deleting() && node.has(ORPHAN)) {
            return orphanDependents(node);
        }
        if (node.deleting() && node.has(FOREGROUND)) {
            return deleteDependentsFirst(node);
        }
        if (!node.owners().isEmpty()) {
            return checkOwners(node);
        }
        return Result.done();
    }

    /** Removes the owner's reference from each dependent, then its orphan finalizer. */
    private Result orphanDependents(GraphNode owner) {
        for (GraphNode dependent : graph.dependents(owner.uid())) {
            removeOwnerRefs(dependent, ref -> ref.path("uid").asText().equals(owner.uid()));
        }
        removeFinalizer(owner, ORPHAN);
        return Result.done();
    }

    /** Deletes the dependents; the owner's finalizer goes once no dependent that blocks it is left. */
    private Result deleteDependentsFirst(GraphNode owner) {
        boolean blocked = false;
        for (GraphNode dependent : graph.dependents(owner.uid())) {
            boolean blocks = dependent.owners().stream().anyMatch(o -> o.uid().equals(owner.uid()) && o.blockOwnerDeletion());
            blocked |= blocks;
            if (!dependent.deleting()) {
                delete(dependent, blocks ? "Foreground" : "Background");
            }
        }
        if (blocked) {
            return Result.requeueAfter(RECHECK);
        }
        removeFinalizer(owner, FOREGROUND);
        return Result.done();
    }

    /** Deletes a dependent whose owners are all gone (or all waiting for it); drops references to owners that are gone. */
    private Result checkOwners(GraphNode node) {
        List<OwnerRef> dangling = new ArrayList<>();
        List<OwnerRef> waiting = new ArrayList<>();
        int solid = 0;
        for (OwnerRef ref : node.owners()) {
            switch (state(node, ref)) {
                case ABSENT -> dangling.add(ref);
                case WAITING_FOR_DEPENDENTS -> waiting.add(ref);
                case PRESENT -> solid++;
            }
        }
        if (solid > 0) {
            if (!dangling.isEmpty()) {
                List<String> gone = dangling.stream().map(OwnerRef::uid).toList();
                removeOwnerRefs(node, ref -> gone.contains(ref.path("uid").asText()));
            }
            return Result.done();
        }
        if (node.deleting()) {
            return Result.done();
        }
        boolean blocksWaitingOwner = waiting.stream().anyMatch(OwnerRef::blockOwnerDeletion);
        String policy = blocksWaitingOwner || node.has(FOREGROUND) ? "Foreground" : node.has(ORPHAN) ? "Orphan" : "Background";
        delete(node, policy);
        return Result.done();
    }

    private enum OwnerState { PRESENT, ABSENT, WAITING_FOR_DEPENDENTS }

    private OwnerState state(GraphNode dependent, OwnerRef ref) {
        Optional<GraphNode> owner = graph.node(ref.uid());
        if (owner.isPresent()) {
            return owner.get().deleting() && owner.get().has(FOREGROUND) ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.PRESENT;
        }
        // The graph may lag behind the API: ask the API before calling an owner gone.
        Optional<ResourceType> kind = kinds.apply(ref);
        if (kind.isEmpty()) {
            return OwnerState.PRESENT; // a kind we cannot resolve is never a reason to delete
        }
        String namespace = kind.get().namespaced() ? dependent.namespace() : "";
        Optional<ObjectNode> live = api.find(kind.get(), namespace, ref.name());
        if (live.isEmpty() || !ref.uid().equals(Json.text(live.get(), "metadata", "uid"))) {
            return OwnerState.ABSENT;
        }
        GraphNode current = GraphNode.of(kind.get(), live.get());
        return current.deleting() && current.has(FOREGROUND) ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.PRESENT;
    }

    private void delete(GraphNode node, String policy) {
        try {
            api.delete(node.type(), node.namespace(), node.name(), policy, node.uid());
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e; // 409: the uid precondition failed, so that object is already gone
            }
        }
    }

    private void removeOwnerRefs(GraphNode node, Predicate<JsonNode> drop) {
        editList(node, "ownerReferences", drop);
    }

    private void removeFinalizer(GraphNode node, String finalizer) {
        editList(node, "finalizers", f -> f.asText().equals(finalizer));
    }

    /** Drops matching entries from a metadata list with a merge patch guarded by the resourceVersion read. */
    private void editList(GraphNode node, String field, Predicate<JsonNode> drop) {
        Optional<ObjectNode> live = api.find(node.type(), node.namespace(), node.name());
        if (live.isEmpty() || !node.uid().equals(Json.text(live.get(), "metadata", "uid"))) {
            return;
        }
        ObjectNode meta = (ObjectNode) live.get().path("metadata");
        ArrayNode kept = Json.array();
        boolean changed = false;
        for (JsonNode entry : meta.path(field)) {
            if (drop.test(entry)) {
                changed = true;
            } else {
                kept.add(entry);
            }
        }
        if (!changed) {
            return;
        }
        ObjectNode patch = Json.object();
        ObjectNode patchMeta = patch.putObject("metadata").put("resourceVersion", meta.path("resourceVersion").asText());
        if (kept.isEmpty()) {
            patchMeta.putNull(field);
        } else {
            patchMeta.set(field, kept);
        }
        try {
            api.patch(node.type(), node.namespace(), node.name(), "", ApiClient.MERGE_PATCH, patch);
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e; // a 409 retries the key with a fresh read
            }
        }
    }
}
