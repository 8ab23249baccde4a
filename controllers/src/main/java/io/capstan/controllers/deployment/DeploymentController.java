package io.capstan.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.Claims;
import io.capstan.controllers.OwnerRefs;
import io.capstan.controllers.Pods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rolls each Deployment out through ReplicaSets, as Kubernetes' deployment controller does:
 * one ReplicaSet per template revision, RollingUpdate within maxSurge and maxUnavailable or
 * Recreate, proportional scaling, pause, revision history, and the Progressing and Available
 * conditions with the progress deadline. With the annotation capstan.io/rollback-on-failure
 * a rollout that misses its deadline goes back to the last revision that was available.
 */
public final class DeploymentController implements Reconciler {

    static final String ROLLBACK_ON_FAILURE = "capstan.io/rollback-on-failure";
    /** Marks the ReplicaSet of a revision that completed a rollout, so automatic rollback knows where to return. */
    static final String AVAILABLE_AT = "capstan.io/available-at";
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", ReplicaSets.REVISION,
            ReplicaSets.REVISION_HISTORY, ReplicaSets.DESIRED_REPLICAS, ReplicaSets.MAX_REPLICAS, "deprecated.deployment.rollback.to",
            ROLLBACK_ON_FAILURE);

    private final Api api;
    private final ObjectCache deployments;
    private final ObjectCache replicaSets;
    private final ObjectCache pods;
    private final EventRecorder events;
    private final Clock clock;

    public DeploymentController(Api api, ObjectCache deployments, ObjectCache replicaSets, ObjectCache pods, EventRecorder events, Clock clock) {
        this.api = api;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode d = deployments.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (d == null) {
            return Result.done();
        }
        List<ObjectNode> owned = claimReplicaSets(d);
        if (Json.at(d, "metadata", "deletionTimestamp") != null) {
            return writeStatus(d, owned, findNew(d, owned), false);
        }
        boolean paused = d.path("spec").path("paused").asBoolean(false);
        ObjectNode newRs = findNew(d, owned);
        if (paused || isScalingEvent(d, owned, newRs)) {
            scaleProportionally(d, owned, newRs);
            if (!paused && newRs != null && complete(d, newRs, owned)) {
                cleanup(d, owned, newRs);
            }
            return writeStatus(d, owned, newRs, false);
        }
        boolean recreate = "Recreate".equals(d.path("spec").path("strategy").path("type").asText("RollingUpdate"));
        boolean created = false;
        if (newRs == null && (!recreate || oldPodsGone(owned))) {
            newRs = createNewReplicaSet(d, owned);
            owned.add(newRs);
            created = true;
        } else if (newRs != null) {
            newRs = syncRevision(d, owned, newRs);
        }
        if (recreate) {
            rolloutRecreate(d, owned, newRs);
        } else {
            rolloutRolling(d, owned, newRs);
        }
        if (newRs != null && complete(d, newRs, owned)) {
            cleanup(d, owned, newRs);
        }
        return writeStatus(d, owned, newRs, created);
    }

    // --- which ReplicaSets are ours

    /** The ReplicaSets this Deployment controls, adopting matching orphans and releasing those that stopped matching. */
    private List<ObjectNode> claimReplicaSets(ObjectNode d) {
        LabelSelector selector = LabelSelector.fromJson(Json.at(d, "spec", "selector"));
        if (selector.isEverything()) {
            return new ArrayList<>(replicaSets.byIndex(Indexes.CONTROLLER, Json.text(d, "metadata", "uid")));
        }
        return new ArrayList<>(Claims.claim(api, Kinds.REPLICA_SETS, replicaSets, d, selector::matches));
    }

    private static ObjectNode findNew(ObjectNode d, List<ObjectNode> owned) {
        JsonNode template = d.path("spec").path("template");
        ObjectNode found = null;
        for (ObjectNode rs : owned) {
            if (ReplicaSets.sameTemplate(rs.path("spec").path("template"), template)
                    && (found == null || ReplicaSets.OLDEST_FIRST.compare(rs, found) < 0)) {
                found = rs;
            }
        }
        return found;
    }

    private static List<ObjectNode> olds(List<ObjectNode> owned, ObjectNode newRs) {
        return owned.stream().filter(rs -> newRs == null || !Json.text(rs, "metadata", "uid").equals(Json.text(newRs, "metadata", "uid"))).toList();
    }

    // --- creating and numbering revisions

    private ObjectNode createNewReplicaSet(ObjectNode d, List<ObjectNode> owned) {
        int collisions = d.path("status").path("collisionCount").asInt(0);
        long revision = owned.stream().mapToLong(ReplicaSets::revision).max().orElse(0) + 1;
        RollingMath.Limits limits = RollingMath.limits(d);
        int desired = d.path("spec").path("replicas").asInt(1);
        boolean recreate = "Recreate".equals(d.path("spec").path("strategy").path("type").asText("RollingUpdate"));
        int replicas = recreate ? desired : RollingMath.newReplicaSetReplicas(desired, limits.maxSurge(), ReplicaSets.sumSpec(owned), 0);
        String hash = ReplicaSets.templateHash(d.path("spec").path("template"), collisions);
        String name = Json.text(d, "metadata", "name") + "-" + hash;
        ObjectNode rs = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata").put("name", name).put("namespace", Json.text(d, "metadata", "namespace"));
        ObjectNode template = ((ObjectNode) d.path("spec").path("template")).deepCopy();
        Json.with(template, "metadata", "labels").put(ReplicaSets.HASH_LABEL, hash);
        meta.set("labels", template.path("metadata").path("labels").deepCopy());
        ObjectNode annotations = meta.putObject("annotations");
        copyAnnotations(d, annotations);
        annotations.put(ReplicaSets.REVISION, Long.toString(revision))
                .put(ReplicaSets.DESIRED_REPLICAS, Integer.toString(desired))
                .put(ReplicaSets.MAX_REPLICAS, Integer.toString(desired + limits.maxSurge()));
        meta.putArray("ownerReferences").add(OwnerRefs.controllerRef(d));
        ObjectNode spec = rs.putObject("spec").put("replicas", replicas)
                .put("minReadySeconds", d.path("spec").path("minReadySeconds").asInt(0));
        ObjectNode selector = ((ObjectNode) d.path("spec").path("selector")).deepCopy();
        Json.with(selector, "matchLabels").put(ReplicaSets.HASH_LABEL, hash);
        spec.set("selector", selector);
        spec.set("template", template);
        try {
            ObjectNode created = api.create(Kinds.REPLICA_SETS, Json.text(d, "metadata", "namespace"), rs);
            events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + name + " from 0 to " + replicas);
            return created;
        } catch (StatusException e) {
            if (e.code() == 409) {
                // Another template hashed to the same name: count the collision and try again with a new hash.
                ObjectNode status = d.path("status").isObject() ? ((ObjectNode) d.get("status")).deepCopy() : Json.object();
                status.put("collisionCount", collisions + 1);
                ObjectNode next = d.deepCopy();
                next.set("status", status);
                api.update(Kinds.DEPLOYMENTS, Json.text(d, "metadata", "namespace"), Json.text(d, "metadata", "name"), "status", next);
            }
            throw e;
        }
    }

    /** A template seen before (a rollback, or undo) becomes the newest revision again, remembering its old numbers. */
    private ObjectNode syncRevision(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs) {
        long max = olds(owned, newRs).stream().mapToLong(ReplicaSets::revision).max().orElse(0);
        long current = ReplicaSets.revision(newRs);
        RollingMath.Limits limits = RollingMath.limits(d);
        ObjectNode annotations = Json.object();
        copyAnnotations(d, annotations);
        String revision = Long.toString(current);
        if (current <= max) {
            revision = Long.toString(max + 1);
            String history = newRs.path("metadata").path("annotations").path(ReplicaSets.REVISION_HISTORY).asText("");
            annotations.put(ReplicaSets.REVISION_HISTORY, history.isEmpty() ? Long.toString(current) : history + "," + current);
        }
        annotations.put(ReplicaSets.REVISION, revision)
                .put(ReplicaSets.DESIRED_REPLICAS, Integer.toString(d.path("spec").path("replicas").asInt(1)))
                .put(ReplicaSets.MAX_REPLICAS, Integer.toString(d.path("spec").path("replicas").asInt(1) + limits.maxSurge()));
        JsonNode existing = newRs.path("metadata").path("annotations");
        boolean changed = false;
        for (var e : annotations.properties()) {
            changed |= !existing.path(e.getKey()).equals(e.getValue());
        }
        int minReady = d.path("spec").path("minReadySeconds").asInt(0);
        changed |= newRs.path("spec").path("minReadySeconds").asInt(0) != minReady;
        if (!changed) {
            return newRs;
        }
        ObjectNode patch = Json.object();
        patch.putObject("metadata").put("resourceVersion", Json.text(newRs, "metadata", "resourceVersion")).set("annotations", annotations);
        patch.putObject("spec").put("minReadySeconds", minReady);
        return patchReplicaSet(newRs, patch);
    }

    private static void copyAnnotations(ObjectNode d, ObjectNode into) {
        d.path("metadata").path("annotations").properties().forEach(e -> {
            if (!NOT_COPIED.contains(e.getKey())) {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    // --- strategies

    private void rolloutRolling(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs) {
        int desired = d.path("spec").path("replicas").asInt(1);
        RollingMath.Limits limits = RollingMath.limits(d);
        int newReplicas = ReplicaSets.specReplicas(newRs);
        if (newReplicas > desired) {
            scale(d, newRs, desired);
            return;
        }
        int target = RollingMath.newReplicaSetReplicas(desired, limits.maxSurge(), ReplicaSets.sumSpec(owned), newReplicas);
        if (target != newReplicas) {
            scale(d, newRs, target);
            return;
        }
        List<ObjectNode> olds = olds(owned, newRs).stream().filter(rs -> ReplicaSets.specReplicas(rs) > 0)
                .sorted(ReplicaSets.OLDEST_FIRST).toList();
        if (olds.isEmpty()) {
            return;
        }
        int minAvailable = desired - limits.maxUnavailable();
        int newUnavailable = newReplicas - newRs.path("status").path("availableReplicas").asInt(0);
        int maxScaleDown = ReplicaSets.sumSpec(owned) - minAvailable - newUnavailable;
        if (maxScaleDown <= 0) {
            return;
        }
        // First the old replicas that are not available anyway, then available ones down to minAvailable.
        int cleaned = 0;
        List<ObjectNode> after = new ArrayList<>();
        for (ObjectNode rs : olds) {
            int unhealthy = ReplicaSets.specReplicas(rs) - rs.path("status").path("availableReplicas").asInt(0);
            int down = Math.min(Math.max(0, unhealthy), maxScaleDown - cleaned);
            if (down > 0) {
                scale(d, rs, ReplicaSets.specReplicas(rs) - down);
                cleaned += down;
                after.add(withReplicas(rs, ReplicaSets.specReplicas(rs) - down));
            } else {
                after.add(rs);
            }
        }
        int available = ReplicaSets.sum(owned, "availableReplicas");
        int left = Math.min(available - minAvailable, maxScaleDown - cleaned);
        for (ObjectNode rs : after) {
            if (left <= 0) {
                break;
            }
            int down = Math.min(ReplicaSets.specReplicas(rs), left);
            if (down > 0) {
                scale(d, rs, ReplicaSets.specReplicas(rs) - down);
                left -= down;
            }
        }
    }

    private void rolloutRecreate(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs) {
        boolean scaledDown = false;
        for (ObjectNode rs : olds(owned, newRs)) {
            if (ReplicaSets.specReplicas(rs) > 0) {
                scale(d, rs, 0);
                scaledDown = true;
            }
        }
        if (scaledDown || newRs == null || !oldPodsGone(owned.stream().filter(rs -> rs != newRs).toList())) {
            return;
        }
        int desired = d.path("spec").path("replicas").asInt(1);
        if (ReplicaSets.specReplicas(newRs) != desired) {
            scale(d, newRs, desired);
        }
    }

    /** Whether no pod of the old ReplicaSets is left running (Recreate waits for that before starting new pods). */
    private boolean oldPodsGone(List<ObjectNode> olds) {
        for (ObjectNode rs : olds) {
            for (ObjectNode pod : pods.byIndex(Indexes.CONTROLLER, Json.text(rs, "metadata", "uid"))) {
                if (!io.capstan.api.PodResources.terminal(pod)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Scaling without a template change (or while paused): spread the difference over the active ReplicaSets by size. */
    private void scaleProportionally(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs) {
        int desired = d.path("spec").path("replicas").asInt(1);
        List<ObjectNode> active = owned.stream().filter(rs -> ReplicaSets.specReplicas(rs) > 0).toList();
        if (active.isEmpty()) {
            if (newRs != null && ReplicaSets.specReplicas(newRs) != desired) {
                scale(d, newRs, desired);
            }
            return;
        }
        if (active.size() == 1) {
            ObjectNode only = active.getFirst();
            if (ReplicaSets.specReplicas(only) != desired) {
                scale(d, only, desired);
            }
            return;
        }
        int allowed = desired + RollingMath.limits(d).maxSurge();
        int current = ReplicaSets.sumSpec(active);
        int toAdd = allowed - current;
        if (toAdd == 0) {
            return;
        }
        List<ObjectNode> order = new ArrayList<>(active);
        order.sort(toAdd > 0 ? ReplicaSets.OLDEST_FIRST.reversed() : java.util.Comparator.comparingInt(ReplicaSets::specReplicas).reversed());
        int given = 0;
        int[] sizes = new int[order.size()];
        for (int i = 0; i < order.size(); i++) {
            int size = ReplicaSets.specReplicas(order.get(i));
            int share = (int) ((long) size * toAdd / current);
            sizes[i] = Math.max(0, size + share);
            given += sizes[i] - size;
        }
        sizes[0] = Math.max(0, sizes[0] + (toAdd - given)); // the rest to the newest (up) or largest (down)
        for (int i = 0; i < order.size(); i++) {
            if (sizes[i] != ReplicaSets.specReplicas(order.get(i))) {
                scale(d, order.get(i), sizes[i]);
            }
        }
    }

    private void scale(ObjectNode d, ObjectNode rs, int replicas) {
        int from = ReplicaSets.specReplicas(rs);
        if (from == replicas) {
            return;
        }
        int desired = d.path("spec").path("replicas").asInt(1);
        ObjectNode patch = Json.object();
        patch.putObject("metadata").put("resourceVersion", Json.text(rs, "metadata", "resourceVersion")).putObject("annotations")
                .put(ReplicaSets.DESIRED_REPLICAS, Integer.toString(desired))
                .put(ReplicaSets.MAX_REPLICAS, Integer.toString(desired + RollingMath.limits(d).maxSurge()));
        patch.putObject("spec").put("replicas", replicas);
        patchReplicaSet(rs, patch);
        events.normal(d, "ScalingReplicaSet", "Scaled " + (replicas > from ? "up" : "down") + " replica set "
                + Json.text(rs, "metadata", "name") + " from " + from + " to " + replicas);
        rs.set("spec", ((ObjectNode) rs.path("spec")).deepCopy().put("replicas", replicas));
    }

    private ObjectNode patchReplicaSet(ObjectNode rs, ObjectNode patch) {
        return api.patch(Kinds.REPLICA_SETS, Json.text(rs, "metadata", "namespace"), Json.text(rs, "metadata", "name"), "",
                ApiClient.MERGE_PATCH, patch);
    }

    private static ObjectNode withReplicas(ObjectNode rs, int replicas) {
        ObjectNode copy = rs.deepCopy();
        ((ObjectNode) copy.path("spec")).put("replicas", replicas);
        return copy;
    }

    private boolean isScalingEvent(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs) {
        if (newRs == null) {
            return false;
        }
        String desired = Integer.toString(d.path("spec").path("replicas").asInt(1));
        for (ObjectNode rs : owned) {
            if (ReplicaSets.specReplicas(rs) > 0) {
                String annotated = rs.path("metadata").path("annotations").path(ReplicaSets.DESIRED_REPLICAS).asText("");
                if (!annotated.isEmpty() && !annotated.equals(desired)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean complete(ObjectNode d, ObjectNode newRs, List<ObjectNode> owned) {
        int desired = d.path("spec").path("replicas").asInt(1);
        return newRs.path("status").path("replicas").asInt(0) == desired
                && ReplicaSets.specReplicas(newRs) == desired
                && newRs.path("status").path("availableReplicas").asInt(0) == desired
                && ReplicaSets.sum(owned, "replicas") == desired;
    }

    /** Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
    private void cleanup(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs) {
        int limit = d.path("spec").path("revisionHistoryLimit").asInt(10);
        List<ObjectNode> empty = olds(owned, newRs).stream()
                .filter(rs -> ReplicaSets.specReplicas(rs) == 0 && rs.path("status").path("replicas").asInt(0) == 0
                        && Json.at(rs, "metadata", "deletionTimestamp") == null)
                .sorted(java.util.Comparator.comparingLong(ReplicaSets::revision)).toList();
        for (int i = 0; i < empty.size() - limit; i++) {
            ObjectNode rs = empty.get(i);
            try {
                api.delete(Kinds.REPLICA_SETS, Json.text(rs, "metadata", "namespace"), Json.text(rs, "metadata", "name"), null,
                        Json.text(rs, "metadata", "uid"));
            } catch (StatusException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
            }
        }
        if (newRs.path("metadata").path("annotations").path(AVAILABLE_AT).isMissingNode()) {
            ObjectNode patch = Json.object();
            patch.putObject("metadata").putObject("annotations").put(AVAILABLE_AT, now());
            patchReplicaSet(newRs, patch);
        }
    }

    // --- status

    private Result writeStatus(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs, boolean created) {
        int desired = d.path("spec").path("replicas").asInt(1);
        ObjectNode old = d.path("status").isObject() ? (ObjectNode) d.get("status") : Json.object();
        ObjectNode status = old.deepCopy();
        int available = ReplicaSets.sum(owned, "availableReplicas");
        status.put("observedGeneration", d.path("metadata").path("generation").asLong(1))
                .put("replicas", ReplicaSets.sum(owned, "replicas"))
                .put("updatedReplicas", newRs == null ? 0 : newRs.path("status").path("replicas").asInt(0))
                .put("readyReplicas", ReplicaSets.sum(owned, "readyReplicas"))
                .put("availableReplicas", available);
        int unavailable = Math.max(0, desired - available);
        if (unavailable > 0) {
            status.put("unavailableReplicas", unavailable);
        } else {
            status.remove("unavailableReplicas");
        }
        String now = now();
        RollingMath.Limits limits = RollingMath.limits(d);
        if (available >= desired - limits.maxUnavailable()) {
            DeploymentConditions.set(status, DeploymentConditions.AVAILABLE, "True", "MinimumReplicasAvailable",
                    "Deployment has minimum availability.", now);
        } else {
            DeploymentConditions.set(status, DeploymentConditions.AVAILABLE, "False", "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.", now);
        }
        Duration requeue = progress(d, owned, newRs, created, old, status, now);
        Result result = requeue == null ? Result.done() : Result.requeueAfter(requeue);
        if (!status.equals(old)) {
            ObjectNode next = d.deepCopy();
            next.set("status", status);
            Json.with(next, "metadata", "annotations");
            if (newRs != null) {
                ((ObjectNode) next.path("metadata").path("annotations")).put(ReplicaSets.REVISION, Long.toString(ReplicaSets.revision(newRs)));
            }
            try {
                api.update(Kinds.DEPLOYMENTS, Json.text(d, "metadata", "namespace"), Json.text(d, "metadata", "name"), "status", next);
            } catch (StatusException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
                return Result.requeueAfter(Duration.ofMillis(200));
            }
        }
        return result;
    }

    /** The Progressing condition, and when to look again for the deadline; may roll back automatically. */
    private Duration progress(ObjectNode d, List<ObjectNode> owned, ObjectNode newRs, boolean created, ObjectNode old,
                              ObjectNode status, String now) {
        String name = newRs == null ? "" : Json.text(newRs, "metadata", "name");
        if (d.path("spec").path("paused").asBoolean(false)) {
            DeploymentConditions.set(status, DeploymentConditions.PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused", now);
            return null;
        }
        JsonNode current = DeploymentConditions.get(old, DeploymentConditions.PROGRESSING);
        if (current != null && current.path("reason").asText().equals("DeploymentPaused")) {
            DeploymentConditions.set(status, DeploymentConditions.PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed", now);
            return Duration.ofMillis(100);
        }
        if (newRs == null) {
            return null;
        }
        int deadline = d.path("spec").path("progressDeadlineSeconds").asInt(600);
        if (complete(d, newRs, owned)) {
            DeploymentConditions.set(status, DeploymentConditions.PROGRESSING, "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + name + "\" has successfully progressed.", now);
            return null;
        }
        if (created) {
            DeploymentConditions.set(status, DeploymentConditions.PROGRESSING, "True", "NewReplicaSetCreated",
                    "Created new replica set \"" + name + "\"", now);
            return Duration.ofSeconds(deadline);
        }
        if (current != null && current.path("reason").asText().equals(DeploymentConditions.TIMED_OUT)) {
            return null;
        }
        boolean progressed = status.path("updatedReplicas").asInt() > old.path("updatedReplicas").asInt()
                || status.path("replicas").asInt() < old.path("replicas").asInt()
                || status.path("readyReplicas").asInt() > old.path("readyReplicas").asInt()
                || status.path("availableReplicas").asInt() > old.path("availableReplicas").asInt()
                || current == null || current.path("reason").asText().equals("NewReplicaSetAvailable");
        if (progressed) {
            DeploymentConditions.set(status, DeploymentConditions.PROGRESSING, "True", "ReplicaSetUpdated",
                    "ReplicaSet \"" + name + "\" is progressing.", now);
            // Progress restarts the deadline, even when the condition reads the same.
            ((ObjectNode) DeploymentConditions.get(status, DeploymentConditions.PROGRESSING)).put("lastUpdateTime", now);
            return Duration.ofSeconds(deadline);
        }
        Instant since = Instant.parse(current.path("lastUpdateTime").asText(now));
        Instant due = since.plusSeconds(deadline);
        Instant instant = clock.instant();
        if (!instant.isBefore(due)) {
            String message = "ReplicaSet \"" + name + "\" has timed out progressing.";
            DeploymentConditions.set(status, DeploymentConditions.PROGRESSING, "False", DeploymentConditions.TIMED_OUT, message, now);
            events.warning(d, DeploymentConditions.TIMED_OUT, message);
            if ("true".equals(d.path("metadata").path("annotations").path(ROLLBACK_ON_FAILURE).asText())) {
                rollBack(d, owned, newRs, message);
            }
            return null;
        }
        return Duration.between(instant, due).plusMillis(50);
    }

    /** Returns the template to the newest revision that once completed a rollout, saying why in an event and the change cause. */
    private void rollBack(ObjectNode d, List<ObjectNode> owned, ObjectNode failed, String why) {
        ObjectNode target = olds(owned, failed).stream()
                .filter(rs -> rs.path("metadata").path("annotations").has(AVAILABLE_AT))
                .max(java.util.Comparator.comparingLong(ReplicaSets::revision)).orElse(null);
        if (target == null) {
            events.warning(d, "RollbackSkipped", "No earlier revision was ever available; not rolling back.");
            return;
        }
        long revision = ReplicaSets.revision(target);
        String cause = "automatic rollback to revision " + revision + ": " + why;
        // A JSON patch replaces the template whole (a merge patch would keep fields only the failed template has).
        com.fasterxml.jackson.databind.node.ArrayNode patch = Json.array();
        patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion").put("value", Json.text(d, "metadata", "resourceVersion"));
        patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", ReplicaSets.withoutHash(target.path("spec").path("template")));
        patch.addObject().put("op", "add").put("path", "/metadata/annotations/kubernetes.io~1change-cause").put("value", cause);
        api.patch(Kinds.DEPLOYMENTS, Json.text(d, "metadata", "namespace"), Json.text(d, "metadata", "name"), "", ApiClient.JSON_PATCH, patch);
        events.warning(d, "DeploymentRollback", "Rolled back deployment \"" + Json.text(d, "metadata", "name") + "\" to revision "
                + revision + " because " + why);
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
