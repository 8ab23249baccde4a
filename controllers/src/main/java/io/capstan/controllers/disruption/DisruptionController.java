package io.capstan.controllers.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.Pods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Keeps each PodDisruptionBudget's status, which the eviction subresource spends: how many of its
 * pods are expected and healthy, how many must stay healthy, hence how many disruptions are
 * allowed now, with the DisruptionAllowed condition; evictions the API server approved
 * (disruptedPods) stop counting as healthy until their pods go, for at most two minutes.
 */
public final class DisruptionController implements Reconciler {

    /** How long an approved eviction may take to show as a deleting pod (DeletionTimeout). */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    private final Api api;
    private final ObjectCache budgets;
    private final ObjectCache pods;
    private final ExpectedScale scale;
    private final EventRecorder events;
    private final Clock clock;

    public DisruptionController(Api api, ObjectCache budgets, ObjectCache pods, ObjectCache replicaSets, ObjectCache deployments,
                                ObjectCache statefulSets, EventRecorder events, Clock clock) {
        this.api = api;
        this.budgets = budgets;
        this.pods = pods;
        this.scale = new ExpectedScale(api, replicaSets, deployments, statefulSets);
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode pdb = budgets.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (pdb == null) {
            return Result.done();
        }
        List<ObjectNode> matching = podsOf(pdb);
        if (matching.isEmpty()) {
            events.normal(pdb, "NoPods", "No matching pods found");
        }
        Budget budget;
        try {
            budget = Budget.of(pdb.path("spec"), matching, scale);
        } catch (IllegalStateException | IllegalArgumentException e) {
            events.warning(pdb, "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: " + e.getMessage());
            failSafe(pdb, e.getMessage());
            return Result.done();
        }
        if (!budget.unmanaged().isEmpty()) {
            events.warning(pdb, "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: "
                    + SelectorText.of(Json.at(pdb, "spec", "selector")) + ") were found "
                    + "to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "
                    + "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
        }
        Instant now = clock.instant();
        ObjectNode disrupted = Json.object();
        Instant recheck = disruptedPods(pdb, matching, now, disrupted);
        int healthy = 0;
        for (ObjectNode pod : matching) {
            boolean deleting = pod.path("metadata").hasNonNull("deletionTimestamp");
            if (!deleting && !disrupted.has(Json.text(pod, "metadata", "name")) && Pods.ready(pod)) {
                healthy++;
            }
        }
        int allowed = budget.expected() <= 0 ? 0 : Math.max(0, healthy - budget.desiredHealthy());
        writeStatus(pdb, healthy, budget, allowed, disrupted, now);
        return recheck == null ? Result.done() : Result.requeueAfter(Duration.between(now, recheck).plusMillis(1));
    }

    private List<ObjectNode> podsOf(ObjectNode pdb) {
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(Json.at(pdb, "spec", "selector"));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return pods.byIndex(Indexes.NAMESPACE, Json.text(pdb, "metadata", "namespace")).stream().filter(selector::matches).toList();
    }

    /**
     * buildDisruptedPodMap: keeps the entries of pods still there, not yet deleting and approved
     * less than DELETION_TIMEOUT ago; returns when the earliest kept entry expires.
     */
    private Instant disruptedPods(ObjectNode pdb, List<ObjectNode> matching, Instant now, ObjectNode kept) {
        JsonNode entries = pdb.path("status").path("disruptedPods");
        Instant recheck = null;
        for (ObjectNode pod : matching) {
            String name = Json.text(pod, "metadata", "name");
            if (pod.path("metadata").hasNonNull("deletionTimestamp") || !entries.has(name)) {
                continue;
            }
            Instant expected = parse(entries.get(name).asText()).plus(DELETION_TIMEOUT);
            if (expected.isBefore(now)) {
                // Kubernetes prints the budget's namespace twice here; kept for the same event text.
                events.warning(pod, "NotDeleted", "Pod was expected by PDB " + Json.text(pdb, "metadata", "namespace") + "/"
                        + Json.text(pdb, "metadata", "namespace") + " to be deleted but it wasn't");
            } else {
                recheck = recheck == null || expected.isBefore(recheck) ? expected : recheck;
                kept.set(name, entries.get(name));
            }
        }
        return recheck;
    }

    private void writeStatus(ObjectNode pdb, int healthy, Budget budget, int allowed, ObjectNode disrupted, Instant now) {
        long generation = pdb.path("metadata").path("generation").asLong(1);
        JsonNode old = pdb.path("status");
        boolean same = old.path("currentHealthy").asInt(-1) == healthy && old.path("desiredHealthy").asInt(-1) == budget.desiredHealthy()
                && old.path("expectedPods").asInt(-1) == budget.expected() && old.path("disruptionsAllowed").asInt(-1) == allowed
                && (old.path("disruptedPods").isMissingNode() || old.path("disruptedPods").isNull() ? Json.object() : old.path("disruptedPods")).equals(disrupted)
                && old.path("observedGeneration").asLong(-1) == generation && conditionUpToDate(pdb, allowed, generation);
        if (same) {
            return;
        }
        ObjectNode status = Json.object().put("observedGeneration", generation);
        if (!disrupted.isEmpty()) {
            status.set("disruptedPods", disrupted);
        }
        status.put("disruptionsAllowed", allowed).put("currentHealthy", healthy).put("desiredHealthy", budget.desiredHealthy())
                .put("expectedPods", budget.expected());
        status.set("conditions", old.path("conditions").isArray() ? old.path("conditions").deepCopy() : Json.array());
        if (allowed > 0) {
            setCondition(status, "True", "SufficientPods", "", generation, now);
        } else {
            setCondition(status, "False", "InsufficientPods", "", generation, now);
        }
        update(pdb, status);
    }

    /** failSafe: when the status cannot be computed, no disruption is allowed. */
    private void failSafe(ObjectNode pdb, String why) {
        ObjectNode status = pdb.path("status").isObject() ? ((ObjectNode) pdb.get("status")).deepCopy() : Json.object();
        status.put("disruptionsAllowed", 0);
        if (!status.path("conditions").isArray()) {
            status.putArray("conditions");
        }
        setCondition(status, "False", "SyncFailed", why, status.path("observedGeneration").asLong(0), clock.instant());
        update(pdb, status);
    }

    private void update(ObjectNode pdb, ObjectNode status) {
        ObjectNode next = pdb.deepCopy();
        next.set("status", status);
        try {
            api.update(Kinds.POD_DISRUPTION_BUDGETS, Json.text(pdb, "metadata", "namespace"), Json.text(pdb, "metadata", "name"), "status", next);
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e; // a conflict retries with the newer budget
            }
        }
    }

    private static boolean conditionUpToDate(JsonNode pdb, int allowed, long generation) {
        if (pdb.path("status").path("observedGeneration").asLong(-1) != generation) {
            return false;
        }
        for (JsonNode c : pdb.path("status").path("conditions")) {
            if (c.path("type").asText().equals("DisruptionAllowed")) {
                return allowed > 0 ? c.path("status").asText().equals("True") && c.path("reason").asText().equals("SufficientPods")
                        : c.path("status").asText().equals("False") && c.path("reason").asText().equals("InsufficientPods");
            }
        }
        return false;
    }

    /** meta.SetStatusCondition for DisruptionAllowed: the transition time moves only when the status changes. */
    static void setCondition(ObjectNode status, String value, String reason, String message, long generation, Instant now) {
        ArrayNode conditions = (ArrayNode) status.get("conditions");
        ObjectNode existing = null;
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals("DisruptionAllowed")) {
                existing = (ObjectNode) c;
            }
        }
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (existing == null) {
            conditions.addObject().put("type", "DisruptionAllowed").put("status", value).put("observedGeneration", generation)
                    .put("lastTransitionTime", time).put("reason", reason).put("message", message);
            return;
        }
        if (!existing.path("status").asText().equals(value)) {
            existing.put("status", value).put("lastTransitionTime", time);
        }
        existing.put("reason", reason).put("message", message).put("observedGeneration", generation);
    }

    private static Instant parse(String time) {
        try {
            return Instant.parse(time);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
