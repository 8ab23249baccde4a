package io.capstan.controllers.replicaset;

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
import io.capstan.controllers.Claims;
import io.capstan.controllers.Expectations;
import io.capstan.controllers.OwnerRefs;
import io.capstan.controllers.PodControl;
import io.capstan.controllers.Pods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keeps each ReplicaSet at its replica count: adopts matching orphans, releases pods that no
 * longer match, creates missing pods in slow-start batches and deletes surplus ones in
 * Kubernetes' order, then reports replicas, ready and available counts in status.
 */
public final class ReplicaSetController implements Reconciler {

    static final int BURST = 500;

    private final Api api;
    private final ObjectCache replicaSets;
    private final ObjectCache pods;
    private final PodControl podControl;
    private final Expectations expectations;
    private final Clock clock;

    public ReplicaSetController(Api api, ObjectCache replicaSets, ObjectCache pods, EventRecorder events,
                                Expectations expectations, Clock clock) {
        this.api = api;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.podControl = new PodControl(api, events);
        this.expectations = expectations;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) throws Exception {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        ObjectNode rs = replicaSets.get(ns, key.substring(slash + 1)).orElse(null);
        if (rs == null) {
            expectations.forget(key);
            return Result.done();
        }
        LabelSelector selector = LabelSelector.fromJson(Json.at(rs, "spec", "selector"));
        List<ObjectNode> owned = claim(rs, ns, selector);
        List<ObjectNode> active = owned.stream().filter(Pods::active).toList();
        boolean deleting = Json.at(rs, "metadata", "deletionTimestamp") != null;
        if (expectations.satisfied(key) && !deleting) {
            int want = rs.path("spec").path("replicas").asInt(1);
            int diff = active.size() - want;
            if (diff < 0) {
                createPods(key, rs, ns, Math.min(-diff, BURST));
            } else if (diff > 0) {
                deletePods(key, rs, active, Math.min(diff, BURST));
            }
        }
        return updateStatus(rs, owned, active);
    }

    /** The pods this ReplicaSet controls now: adopting matching orphans, releasing owned pods that stopped matching. */
    private List<ObjectNode> claim(ObjectNode rs, String ns, LabelSelector selector) {
        String uid = Json.text(rs, "metadata", "uid");
        boolean deleting = Json.at(rs, "metadata", "deletionTimestamp") != null;
        List<ObjectNode> owned = new ArrayList<>();
        for (ObjectNode pod : pods.byIndex(Indexes.CONTROLLER, uid)) {
            if (selector.matches(pod)) {
                owned.add(pod);
            } else if (Pods.active(pod)) {
                editOwnerRefs(pod, uid, null);
            }
        }
        if (!deleting && !selector.isEverything()) {
            for (ObjectNode pod : pods.byIndex(Indexes.NAMESPACE, ns)) {
                if (OwnerRefs.controllerUid(pod) == null && Pods.active(pod) && selector.matches(pod)) {
                    if (editOwnerRefs(pod, null, OwnerRefs.controllerRef(rs))) {
                        owned.add(pod);
                    }
                }
            }
        }
        return owned;
    }

    /** Removes the reference to removeUid and/or adds one; false when the pod changed or vanished meanwhile. */
    private boolean editOwnerRefs(ObjectNode pod, String removeUid, ObjectNode add) {
        return Claims.setControllerRef(api, Kinds.PODS, pod, removeUid, add);
    }

    /** Creates pods in batches of 1, 2, 4, ... so a template that cannot work fails once, not n times. */
    private void createPods(String key, ObjectNode rs, String ns, int count) throws Exception {
        expectations.expect(key, count, 0);
        int remaining = count;
        int batch = 1;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            while (remaining > 0) {
                int size = Math.min(batch, remaining);
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    futures.add(executor.submit(() -> podControl.create(rs, Json.at(rs, "spec", "template"), ns, null,
                            Json.text(rs, "metadata", "name") + "-")));
                }
                int failed = 0;
                Exception first = null;
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed++;
                        expectations.creationObserved(key); // never to be seen
                        first = first == null && e.getCause() instanceof Exception c ? c : first;
                    }
                }
                remaining -= size;
                if (failed > 0) {
                    for (int i = 0; i < remaining; i++) {
                        expectations.creationObserved(key);
                    }
                    throw first != null ? first : new IllegalStateException("pod creation failed");
                }
                batch *= 2;
            }
        }
    }

    private void deletePods(String key, ObjectNode rs, List<ObjectNode> active, int count) {
        List<ObjectNode> victims = active.stream().sorted(PodRanking.DELETE_FIRST).limit(count).toList();
        expectations.expect(key, 0, victims.size());
        for (ObjectNode pod : victims) {
            try {
                podControl.delete(rs, pod);
            } catch (RuntimeException e) {
                expectations.deletionObserved(key);
                throw e;
            }
        }
    }

    private Result updateStatus(ObjectNode rs, List<ObjectNode> owned, List<ObjectNode> active) {
        int minReady = rs.path("spec").path("minReadySeconds").asInt(0);
        Instant now = clock.instant();
        LabelSelector templateLabels = LabelSelector.fromJson(Json.object().set("matchLabels",
                rs.path("spec").path("template").path("metadata").path("labels").deepCopy()));
        int ready = 0;
        int available = 0;
        int fullyLabeled = 0;
        boolean waitingForAvailable = false;
        for (ObjectNode pod : active) {
            if (templateLabels.matches(pod)) {
                fullyLabeled++;
            }
            if (Pods.ready(pod)) {
                ready++;
                if (Pods.available(pod, minReady, now)) {
                    available++;
                } else {
                    waitingForAvailable = true;
                }
            }
        }
        ObjectNode status = rs.path("status").isObject() ? ((ObjectNode) rs.get("status")).deepCopy() : Json.object();
        status.put("replicas", active.size()).put("fullyLabeledReplicas", fullyLabeled).put("readyReplicas", ready)
                .put("availableReplicas", available).put("observedGeneration", rs.path("metadata").path("generation").asLong(1));
        if (!status.equals(rs.path("status"))) {
            ObjectNode next = rs.deepCopy();
            next.set("status", status);
            try {
                api.update(Kinds.REPLICA_SETS, Json.text(rs, "metadata", "namespace"), Json.text(rs, "metadata", "name"), "status", next);
            } catch (StatusException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
                return Result.requeueAfter(Duration.ofMillis(100)); // a newer version is coming through the watch
            }
        }
        return waitingForAvailable ? Result.requeueAfter(Duration.ofSeconds(Math.max(1, minReady))) : Result.done();
    }
}
