package io.capstan.controllers.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.ObjectCache;
import io.capstan.controllers.Claims;
import io.capstan.controllers.Revisions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A DaemonSet's ControllerRevisions (constructHistory, snapshot, cleanupHistory): the current
 * revision is the one whose data restores the current template, named ds-hash; older ones are
 * kept up to revisionHistoryLimit unless a pod still runs them.
 */
final class DaemonHistory {

    /** The current revision and the others. */
    record History(ObjectNode current, List<ObjectNode> old) {
        String hash() {
            return current.path("metadata").path("labels").path(Revisions.POD_HASH_LABEL).asText("");
        }
    }

    private final Api api;
    private final ObjectCache revisions;

    DaemonHistory(Api api, ObjectCache revisions) {
        this.api = api;
        this.revisions = revisions;
    }

    History construct(ObjectNode ds, Collection<ObjectNode> pods) {
        LabelSelector selector = LabelSelector.fromJson(Json.at(ds, "spec", "selector"));
        ObjectNode data = Revisions.templatePatch(ds);
        ObjectNode wanted = Json.object().set("data", data);
        List<ObjectNode> current = new ArrayList<>();
        List<ObjectNode> old = new ArrayList<>();
        for (ObjectNode h : Claims.claim(api, Kinds.CONTROLLER_REVISIONS, revisions, ds, selector::matches)) {
            (Revisions.sameData(h, wanted) ? current : old).add(h);
        }
        long next = old.stream().mapToLong(Revisions::number).max().orElse(0) + 1;
        ObjectNode cur;
        if (current.isEmpty()) {
            cur = snapshot(ds, data, next);
        } else {
            cur = dedup(current, pods);
            if (Revisions.number(cur) < next) {
                cur = api.update(Kinds.CONTROLLER_REVISIONS, Json.text(cur, "metadata", "namespace"),
                        Json.text(cur, "metadata", "name"), "", cur.deepCopy().put("revision", next));
            }
        }
        return new History(cur, old);
    }

    /** Creates the revision of the current template; a name taken by another template bumps collisionCount. */
    private ObjectNode snapshot(ObjectNode ds, ObjectNode data, long number) {
        JsonNode count = ds.path("status").path("collisionCount");
        String hash = Revisions.hash(ds.path("spec").path("template"), count.isNumber() ? count.asInt() : null);
        ObjectNode labels = ds.path("spec").path("template").path("metadata").path("labels").isObject()
                ? ((ObjectNode) ds.path("spec").path("template").path("metadata").path("labels")).deepCopy() : Json.object();
        labels.put(Revisions.POD_HASH_LABEL, hash);
        ObjectNode rev = Revisions.newRevision(ds, hash, labels, data, number);
        if (ds.path("metadata").path("annotations").isObject()) {
            Json.with(rev, "metadata").set("annotations", ds.path("metadata").path("annotations").deepCopy());
        }
        String ns = Json.text(ds, "metadata", "namespace");
        try {
            return api.create(Kinds.CONTROLLER_REVISIONS, ns, rev);
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
            ObjectNode existing = api.get(Kinds.CONTROLLER_REVISIONS, ns, Json.text(rev, "metadata", "name"));
            if (Revisions.sameData(existing, rev)) {
                return existing;
            }
            ObjectNode fresh = api.get(Kinds.DAEMON_SETS, ns, Json.text(ds, "metadata", "name"));
            if (!fresh.path("status").path("collisionCount").equals(ds.path("status").path("collisionCount"))) {
                throw e; // our collision count was stale: retry with the newer one
            }
            Json.with(fresh, "status").put("collisionCount", count.asInt(0) + 1);
            api.update(Kinds.DAEMON_SETS, ns, Json.text(ds, "metadata", "name"), "status", fresh);
            throw e;
        }
    }

    /** Keeps the highest-numbered of several revisions with the current template, relabelling pods first. */
    private ObjectNode dedup(List<ObjectNode> current, Collection<ObjectNode> pods) {
        if (current.size() == 1) {
            return current.getFirst();
        }
        ObjectNode keep = Revisions.sorted(current).getLast();
        String hash = keep.path("metadata").path("labels").path(Revisions.POD_HASH_LABEL).asText("");
        for (ObjectNode pod : pods) {
            if (!pod.path("metadata").path("labels").path(Revisions.POD_HASH_LABEL).asText("").equals(hash)) {
                ObjectNode patch = Json.object();
                Json.with(patch, "metadata", "labels").put(Revisions.POD_HASH_LABEL, hash);
                api.patch(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), "",
                        ApiClient.MERGE_PATCH, patch);
            }
        }
        for (ObjectNode r : current) {
            if (r != keep) {
                delete(r);
            }
        }
        return keep;
    }

    /** Deletes the oldest revisions beyond revisionHistoryLimit that no pod runs. */
    void cleanup(JsonNode ds, List<ObjectNode> old, Collection<ObjectNode> pods) {
        int toKill = old.size() - ds.path("spec").path("revisionHistoryLimit").asInt(10);
        if (toKill <= 0) {
            return;
        }
        Set<String> liveHashes = new HashSet<>();
        pods.forEach(p -> liveHashes.add(p.path("metadata").path("labels").path(Revisions.POD_HASH_LABEL).asText("")));
        for (ObjectNode r : Revisions.sorted(old)) {
            if (toKill <= 0) {
                break;
            }
            if (!liveHashes.contains(r.path("metadata").path("labels").path(Revisions.POD_HASH_LABEL).asText(""))) {
                delete(r);
                toKill--;
            }
        }
    }

    private void delete(JsonNode revision) {
        try {
            api.delete(Kinds.CONTROLLER_REVISIONS, Json.text(revision, "metadata", "namespace"),
                    Json.text(revision, "metadata", "name"), null, null);
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }
}
