package io.capstan.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.api.Tolerations;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.PodConditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NoExecute taint manager, one node per key: a pod that does not tolerate every NoExecute
 * taint of its node is deleted at once; one that tolerates them for tolerationSeconds is deleted
 * that long after the taint came (its timeAdded, or when the pod reached the node if later).
 * Deletion is an ordinary graceful delete, so on a dead node the pod stays Terminating, as in
 * Kubernetes, while its controller replaces it elsewhere.
 */
public final class TaintEvictionController implements Reconciler {

    private final Api api;
    private final ObjectCache nodes;
    private final ObjectCache pods;
    private final EventRecorder events;
    private final Clock clock;
    /** Pods with an eviction pending, by "namespace/name", so a cancelled one gets its event. */
    private final Map<String, Instant> scheduled = new ConcurrentHashMap<>();
    /** When a taint without timeAdded was first seen, by node, key and effect. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    public TaintEvictionController(Api api, ObjectCache nodes, ObjectCache pods, EventRecorder events, Clock clock) {
        this.api = api;
        this.nodes = nodes;
        this.pods = pods;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String nodeName) {
        ObjectNode node = nodes.get("", nodeName).orElse(null);
        List<JsonNode> taints = node == null ? List.of() : noExecuteTaints(nodeName, node);
        Instant now = clock.instant();
        Duration next = null;
        for (ObjectNode pod : pods.byIndex(Indexes.NODE_NAME, nodeName)) {
            if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                scheduled.remove(ObjectCache.key(pod));
                continue;
            }
            Instant due = evictionTime(nodeName, pod, taints, now);
            if (due == null) {
                cancel(pod);
            } else if (!due.isAfter(now)) {
                evict(pod, now);
            } else {
                scheduled.put(ObjectCache.key(pod), due);
                Duration left = Duration.between(now, due);
                next = next == null || left.compareTo(next) < 0 ? left : next;
            }
        }
        return next == null ? Result.done() : Result.requeueAfter(next);
    }

    /** When the pod must go: now if a taint is not tolerated, later by the smallest tolerationSeconds, or null (never). */
    private Instant evictionTime(String nodeName, JsonNode pod, List<JsonNode> taints, Instant now) {
        if (taints.isEmpty()) {
            return null;
        }
        JsonNode tolerations = pod.path("spec").path("tolerations");
        long minSeconds = Long.MAX_VALUE;
        Instant start = null;
        for (JsonNode taint : taints) {
            JsonNode used = Tolerations.matching(tolerations, taint);
            if (used == null) {
                return now;
            }
            if (used.hasNonNull("tolerationSeconds")) {
                minSeconds = Math.min(minSeconds, Math.max(0, used.get("tolerationSeconds").asLong()));
            }
            Instant added = taintTime(nodeName, taint, now);
            start = start == null || added.isBefore(start) ? added : start;
        }
        if (minSeconds == Long.MAX_VALUE) {
            return null; // tolerated forever
        }
        Instant bound = scheduledTime(pod);
        if (bound != null && bound.isAfter(start)) {
            start = bound;
        }
        return start.plusSeconds(minSeconds);
    }

    private Instant taintTime(String nodeName, JsonNode taint, Instant now) {
        String added = taint.path("timeAdded").asText("");
        if (!added.isEmpty()) {
            try {
                return Instant.parse(added);
            } catch (RuntimeException e) {
                // fall through to the first time we saw it
            }
        }
        return firstSeen.computeIfAbsent(nodeName + "\u0000" + taint.path("key").asText() + "\u0000" + taint.path("effect").asText(), k -> now);
    }

    /** When the pod was bound to its node (its PodScheduled condition), or null. */
    private static Instant scheduledTime(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("status").asText().equals("True")) {
                try {
                    return Instant.parse(c.path("lastTransitionTime").asText());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The node's NoExecute taints, in order. */
    static List<JsonNode> noExecute(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : node.path("spec").path("taints")) {
            if (t.path("effect").asText().equals("NoExecute")) {
                out.add(t);
            }
        }
        return out;
    }

    private List<JsonNode> noExecuteTaints(String nodeName, JsonNode node) {
        List<JsonNode> out = noExecute(node);
        if (out.isEmpty()) {
            firstSeen.keySet().removeIf(k -> k.startsWith(nodeName + "\u0000"));
        }
        return out;
    }

    /** A deleted pod has no eviction pending any more. */
    void forget(String podKey) {
        scheduled.remove(podKey);
    }

    private void cancel(JsonNode pod) {
        String key = ObjectCache.key((ObjectNode) pod);
        if (scheduled.remove(key) != null) {
            events.normal(pod, "TaintManagerEviction", "Cancelling deletion of Pod " + key);
        }
    }

    /** Marks the pod a disruption target, as addConditionAndDeletePod does, then deletes it. */
    private void evict(ObjectNode pod, Instant now) {
        String ns = Json.text(pod, "metadata", "namespace");
        String name = Json.text(pod, "metadata", "name");
        scheduled.remove(ObjectCache.key(pod));
        events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + ns + "/" + name);
        try {
            ArrayNode conditions = PodConditions.withDisruptionTarget(pod.path("status").path("conditions"),
                    "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint", now);
            if (conditions != null) {
                ObjectNode patch = Json.object();
                patch.putObject("status").set("conditions", conditions);
                api.patch(Kinds.PODS, ns, name, "status", ApiClient.MERGE_PATCH, patch);
            }
            api.delete(Kinds.PODS, ns, name, null, Json.text(pod, "metadata", "uid"));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }
}
