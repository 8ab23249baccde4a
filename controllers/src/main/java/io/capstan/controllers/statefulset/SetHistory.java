package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.controllers.Revisions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A StatefulSet's ControllerRevisions (getStatefulSetRevisions, truncateHistory): the update
 * revision is the one whose data restores the current template, made or renumbered as needed; the
 * current revision is the one status names.
 */
final class SetHistory {

    /** The two revisions a sync works between, and the collision count used to name new ones. */
    record Revs(ObjectNode current, ObjectNode update, int collisionCount) {}

    private final Api api;

    SetHistory(Api api) {
        this.api = api;
    }

    /** revisions must be in history order. */
    Revs resolve(ObjectNode set, List<ObjectNode> revisions) {
        int collisions = set.path("status").path("collisionCount").asInt(0);
        ObjectNode data = Revisions.templatePatch(set);
        ObjectNode wanted = Json.object().set("data", data);
        long next = revisions.isEmpty() ? 1 : Revisions.number(revisions.getLast()) + 1;
        ObjectNode equal = null;
        for (ObjectNode r : revisions) {
            if (Revisions.sameData(r, wanted)) {
                equal = r;
            }
        }
        ObjectNode update;
        if (equal != null && equal == revisions.getLast()) {
            update = equal;
        } else if (equal != null) {
            // the template went back to an earlier revision: that revision becomes the newest again
            ObjectNode renumbered = equal.deepCopy().put("revision", next);
            update = api.update(Kinds.CONTROLLER_REVISIONS, Json.text(equal, "metadata", "namespace"),
                    Json.text(equal, "metadata", "name"), "", renumbered);
        } else {
            while (true) {
                String hash = Revisions.hash(data, collisions);
                ObjectNode labels = set.path("spec").path("template").path("metadata").path("labels").isObject()
                        ? ((ObjectNode) set.path("spec").path("template").path("metadata").path("labels")).deepCopy() : Json.object();
                labels.put(Revisions.HASH_LABEL, hash);
                ObjectNode rev = Revisions.newRevision(set, hash, labels, data, next);
                try {
                    update = api.create(Kinds.CONTROLLER_REVISIONS, Json.text(set, "metadata", "namespace"), rev);
                    break;
                } catch (StatusException e) {
                    if (e.code() != 409) {
                        throw e;
                    }
                    ObjectNode existing = api.find(Kinds.CONTROLLER_REVISIONS, Json.text(set, "metadata", "namespace"),
                            Json.text(rev, "metadata", "name")).orElse(null);
                    if (existing != null && Revisions.sameData(existing, wanted)) {
                        update = existing;
                        break;
                    }
                    collisions++;
                }
            }
        }
        String currentName = set.path("status").path("currentRevision").asText("");
        ObjectNode current = revisions.stream().filter(r -> StatefulPods.name(r).equals(currentName)).findFirst().orElse(update);
        return new Revs(current, update, collisions);
    }

    /** Deletes the oldest revisions no pod and neither status revision uses, beyond revisionHistoryLimit. */
    void truncate(JsonNode set, List<? extends JsonNode> pods, List<ObjectNode> revisions, Revs revs) {
        Set<String> live = new HashSet<>();
        live.add(StatefulPods.name(revs.current()));
        live.add(StatefulPods.name(revs.update()));
        pods.forEach(p -> live.add(StatefulPods.revision(p)));
        List<ObjectNode> history = revisions.stream().filter(r -> !live.contains(StatefulPods.name(r))).toList();
        int limit = set.path("spec").path("revisionHistoryLimit").asInt(10);
        if (limit < 0 || history.size() <= limit) {
            return;
        }
        for (ObjectNode r : history.subList(0, history.size() - limit)) {
            try {
                api.delete(Kinds.CONTROLLER_REVISIONS, Json.text(r, "metadata", "namespace"), StatefulPods.name(r), null, null);
            } catch (StatusException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
    }
}
