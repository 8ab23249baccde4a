package io.capstan.controllers.podgc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PodResources;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.PodConditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod garbage collector's orphan pass (gcOrphaned): a pod bound to a Node that has not existed
 * for the quarantine time (checked against the API, not only the cache) is marked Failed with a
 * DisruptionTarget condition and force-deleted, since no kubelet is left to finish it.
 */
public final class PodGcController implements Reconciler {

    /** The only key: one pass over every pod. */
    public static final String PASS = "pods";
    static final Duration PERIOD = Duration.ofSeconds(20);
    static final Duration QUARANTINE = Duration.ofSeconds(40);

    private final Api api;
    private final ObjectCache pods;
    private final ObjectCache nodes;
    private final Clock clock;
    /** Node names pods point at but the cache lacks, with when that was first seen. */
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

    public PodGcController(Api api, ObjectCache pods, ObjectCache nodes, Clock clock) {
        this.api = api;
        this.pods = pods;
        this.nodes = nodes;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        Instant now = clock.instant();
        Map<String, Boolean> gone = new java.util.HashMap<>();
        java.util.Set<String> missing = new java.util.HashSet<>();
        for (ObjectNode pod : pods.list()) {
            String node = Json.text(pod, "spec", "nodeName");
            if (node == null || node.isEmpty() || nodes.get("", node).isPresent()) {
                continue;
            }
            missing.add(node);
            Instant since = missingSince.computeIfAbsent(node, n -> now);
            if (now.isBefore(since.plus(QUARANTINE))) {
                continue;
            }
            if (gone.computeIfAbsent(node, n -> api.find(Kinds.NODES, "", n).isEmpty())) {
                forceDelete(pod, now);
            }
        }
        // A node that came back, or that the API still has, starts a fresh quarantine next time.
        missingSince.keySet().removeIf(n -> !missing.contains(n) || !gone.getOrDefault(n, true));
        return Result.requeueAfter(PERIOD);
    }

    private void forceDelete(ObjectNode pod, Instant now) {
        String ns = Json.text(pod, "metadata", "namespace");
        String name = Json.text(pod, "metadata", "name");
        try {
            if (!PodResources.terminal(pod)) {
                ObjectNode status = Json.object().put("phase", "Failed");
                ArrayNode conditions = PodConditions.withDisruptionTarget(pod.path("status").path("conditions"),
                        "DeletionByPodGC", "PodGC: node no longer exists", now);
                if (conditions != null) {
                    status.set("conditions", conditions);
                }
                api.patch(Kinds.PODS, ns, name, "status", ApiClient.MERGE_PATCH, Json.object().set("status", status));
            }
            api.deleteImmediately(Kinds.PODS, ns, name, Json.text(pod, "metadata", "uid"));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }
}
