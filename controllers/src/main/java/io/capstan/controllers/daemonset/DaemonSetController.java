package io.capstan.controllers.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.api.PodResources;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.Claims;
import io.capstan.controllers.Expectations;
import io.capstan.controllers.PodControl;
import io.capstan.controllers.Pods;
import io.capstan.controllers.StatusUpdates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one pod of each DaemonSet on every node that should run it: creates pods (pinned to
 * their node by required node affinity, bound by the scheduler) on nodes that lack one, removes
 * them from nodes that stopped fitting, replaces failed ones with back-off, rolls out new
 * templates within maxUnavailable/maxSurge, and reports the status `kubectl rollout status ds` reads.
 */
public final class DaemonSetController implements Reconciler {

    static final int BURST = 250;

    private final Api api;
    private final ObjectCache daemonSets;
    private final ObjectCache pods;
    private final ObjectCache nodes;
    private final DaemonHistory history;
    private final PodControl podControl;
    private final EventRecorder events;
    private final Expectations expectations;
    private final Clock clock;
    private final FailedPodBackoff backoff = new FailedPodBackoff();

    public DaemonSetController(Api api, ObjectCache daemonSets, ObjectCache pods, ObjectCache nodes, ObjectCache revisions,
                               EventRecorder events, Expectations expectations, Clock clock) {
        this.api = api;
        this.daemonSets = daemonSets;
        this.pods = pods;
        this.nodes = nodes;
        this.history = new DaemonHistory(api, revisions);
        this.podControl = new PodControl(api, events);
        this.events = events;
        this.expectations = expectations;
        this.clock = clock;
    }

    /** One pass's view of a DaemonSet: its pod spec, its nodes, and its pods by the node they are for. */
    record View(ObjectNode ds, ObjectNode podSpec, List<ObjectNode> nodes, Map<String, List<ObjectNode>> podsByNode,
                List<ObjectNode> allPods, String hash, Instant now) {

        NodeFit.Verdict fit(JsonNode node) {
            return NodeFit.check(node, podSpec);
        }

        int minReadySeconds() {
            return ds.path("spec").path("minReadySeconds").asInt(0);
        }

        boolean available(JsonNode pod) {
            return Pods.available(pod, minReadySeconds(), now);
        }
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode ds = daemonSets.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (ds == null) {
            expectations.forget(key);
            return Result.done();
        }
        LabelSelector selector = LabelSelector.fromJson(Json.at(ds, "spec", "selector"));
        if (selector.isEverything()) {
            events.warning(ds, "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
            return Result.done();
        }
        if (Json.at(ds, "metadata", "deletionTimestamp") != null) {
            return Result.done(); // its revisions may be gone already: status cannot be trusted
        }
        List<ObjectNode> claimed = Claims.claim(api, Kinds.PODS, pods, ds, selector::matches);
        DaemonHistory.History revisions = history.construct(ds, claimed);
        View view = view(ds, claimed, revisions.hash());
        if (!expectations.satisfied(key)) {
            return updateStatus(view, false);
        }
        Duration retry = manage(key, view);
        if (expectations.satisfied(key)
                && ds.path("spec").path("updateStrategy").path("type").asText("RollingUpdate").equals("RollingUpdate")) {
            DaemonSetRollout.Plan plan = DaemonSetRollout.plan(view);
            syncNodes(key, view, plan.podsToDelete(), plan.nodesToCreate());
        }
        history.cleanup(ds, revisions.old(), claimed);
        Result status = updateStatus(view, true);
        return retry != null ? Result.requeueAfter(retry) : status;
    }

    private View view(ObjectNode ds, List<ObjectNode> claimed, String hash) {
        Map<String, List<ObjectNode>> byNode = new LinkedHashMap<>();
        for (ObjectNode pod : claimed) {
            if (PodResources.terminal(pod) && pod.path("metadata").hasNonNull("deletionTimestamp")) {
                continue; // on its way out; nothing left to do with it
            }
            String node = DaemonPods.targetNode(pod);
            if (node != null) {
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
            }
        }
        List<ObjectNode> nodeList = new ArrayList<>(nodes.list());
        nodeList.sort(java.util.Comparator.comparing(n -> n.path("metadata").path("name").asText()));
        return new View(ds, DaemonPods.podSpec(ds), nodeList, byNode, claimed, hash, clock.instant());
    }

    /** Creates and deletes pods so each node has what it should; the delay until a backed-off node may be retried, if any. */
    private Duration manage(String key, View view) {
        List<String> create = new ArrayList<>();
        List<ObjectNode> delete = new ArrayList<>();
        Duration retry = null;
        boolean surge = DaemonSetRollout.maxSurge(view) > 0;
        Set<String> nodeNames = new HashSet<>();
        for (ObjectNode node : view.nodes()) {
            String name = node.path("metadata").path("name").asText();
            nodeNames.add(name);
            NodeFit.Verdict fit = view.fit(node);
            List<ObjectNode> daemonPods = view.podsByNode().getOrDefault(name, List.of());
            if (fit.shouldRun() && daemonPods.isEmpty()) {
                create.add(name);
            } else if (fit.shouldContinueRunning()) {
                List<ObjectNode> running = new ArrayList<>();
                for (ObjectNode pod : daemonPods) {
                    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                        continue;
                    }
                    String phase = pod.path("status").path("phase").asText("");
                    if (phase.equals("Failed")) {
                        String backoffKey = view.ds().path("metadata").path("uid").asText() + "/"
                                + view.ds().path("status").path("observedGeneration").asLong(0) + "/" + name;
                        Duration wait = backoff.waitFor(backoffKey, view.now());
                        if (wait != null) {
                            retry = retry == null || wait.compareTo(retry) < 0 ? wait : retry;
                            continue;
                        }
                        events.warning(view.ds(), "FailedDaemonPod", "Found failed daemon pod " + pod.path("metadata").path("namespace").asText()
                                + "/" + pod.path("metadata").path("name").asText() + " on node " + name + ", will try to kill it");
                        delete.add(pod);
                    } else if (phase.equals("Succeeded")) {
                        events.normal(view.ds(), "SucceededDaemonPod", "Found succeeded daemon pod " + pod.path("metadata").path("namespace").asText()
                                + "/" + pod.path("metadata").path("name").asText() + " on node " + name + ", will try to delete it");
                        delete.add(pod);
                    } else {
                        running.add(pod);
                    }
                }
                running.sort(DaemonPods.OLDEST_FIRST);
                if (!surge) {
                    delete.addAll(running.subList(Math.min(1, running.size()), running.size()));
                } else if (running.isEmpty() && fit.shouldRun()) {
                    create.add(name);
                } else if (running.size() > 1) {
                    delete.addAll(DaemonSetRollout.surplusWhileSurging(view, running));
                }
            } else {
                daemonPods.stream().filter(p -> !p.path("metadata").hasNonNull("deletionTimestamp")).forEach(delete::add);
            }
        }
        // pods waiting for a node that is gone would never be scheduled nor cleaned up by anyone else
        view.podsByNode().forEach((node, list) -> {
            if (!nodeNames.contains(node)) {
                list.stream().filter(p -> p.path("spec").path("nodeName").asText("").isEmpty()).forEach(delete::add);
            }
        });
        syncNodes(key, view, delete, create);
        return retry;
    }

    /** Deletes and creates (in slow-start batches), at most BURST of each per pass, under expectations. */
    void syncNodes(String key, View view, List<ObjectNode> delete, List<String> create) {
        int creates = Math.min(create.size(), BURST);
        int deletes = Math.min(delete.size(), BURST);
        expectations.expect(key, creates, deletes);
        ObjectNode template = DaemonPods.template(view.ds(), view.hash());
        String ns = Json.text(view.ds(), "metadata", "namespace");
        String generateName = Json.text(view.ds(), "metadata", "name") + "-";
        RuntimeException failure = null;
        int pos = 0;
        for (int batch = Math.min(1, creates); pos < creates && failure == null; batch = Math.min(2 * batch, creates - pos)) {
            for (int i = pos; i < pos + batch; i++) {
                try {
                    podControl.create(view.ds(), DaemonPods.forNode(template, create.get(i)), ns, null, generateName);
                } catch (RuntimeException e) {
                    expectations.creationObserved(key);
                    failure = failure == null ? e : failure;
                }
            }
            pos += batch;
        }
        for (int i = pos; i < creates; i++) {
            expectations.creationObserved(key); // skipped after a failed batch: the next pass tries again
        }
        for (ObjectNode pod : delete.subList(0, deletes)) {
            try {
                podControl.delete(view.ds(), pod);
            } catch (RuntimeException e) {
                expectations.deletionObserved(key);
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Result updateStatus(View view, boolean observed) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        String generation = DaemonPods.templateGeneration(view.ds());
        for (ObjectNode node : view.nodes()) {
            List<ObjectNode> daemonPods = view.podsByNode().getOrDefault(node.path("metadata").path("name").asText(), List.of());
            if (!view.fit(node).shouldRun()) {
                misscheduled += daemonPods.isEmpty() ? 0 : 1;
                continue;
            }
            desired++;
            if (daemonPods.isEmpty()) {
                continue;
            }
            current++;
            JsonNode pod = daemonPods.stream().sorted(DaemonPods.OLDEST_FIRST).findFirst().orElseThrow();
            if (Pods.ready(pod)) {
                ready++;
                available += view.available(pod) ? 1 : 0;
            }
            updated += DaemonPods.updated(pod, view.hash(), generation) ? 1 : 0;
        }
        ObjectNode ds = view.ds();
        ObjectNode status = ds.path("status").isObject() ? ((ObjectNode) ds.get("status")).deepCopy() : Json.object();
        status.put("desiredNumberScheduled", desired).put("currentNumberScheduled", current)
                .put("numberMisscheduled", misscheduled).put("numberReady", ready).put("updatedNumberScheduled", updated)
                .put("numberAvailable", available).put("numberUnavailable", desired - available);
        if (observed) {
            status.put("observedGeneration", ds.path("metadata").path("generation").asLong(1));
        }
        if (!StatusUpdates.write(api, Kinds.DAEMON_SETS, ds, status)) {
            return Result.requeueAfter(Duration.ofMillis(100));
        }
        int minReady = view.minReadySeconds();
        return minReady > 0 && ready != available ? Result.requeueAfter(Duration.ofSeconds(minReady)) : Result.done();
    }
}
