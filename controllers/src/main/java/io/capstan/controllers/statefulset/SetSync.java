package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.controllers.Revisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One pass of updateStatefulSet: fills the ordinals [start, start+replicas) in order (OrderedReady:
 * one at a time, each Running and Ready before the next) or all at once (Parallel), removes the
 * condemned ordinals from the highest down, then replaces pods of an old revision from the highest
 * ordinal down to the partition, one at a time.
 */
final class SetSync {

    /** What the pass found: the status to record and whether something is waiting on time rather than an event. */
    record Outcome(ObjectNode status, boolean waitingOnTime) {}

    private final ObjectNode set;
    private final SetHistory.Revs revs;
    private final StatefulPodControl control;
    private final Instant now;
    private final int minReady;
    private final boolean monotonic;
    private final ObjectNode[] replicas;
    private final List<ObjectNode> condemned = new ArrayList<>();
    private ObjectNode firstUnavailable;
    private boolean waitingOnTime;
    private int currentReplicasDelta;

    SetSync(ObjectNode set, SetHistory.Revs revs, List<ObjectNode> pods, StatefulPodControl control, Instant now) {
        this.set = set;
        this.revs = revs;
        this.control = control;
        this.now = now;
        this.minReady = set.path("spec").path("minReadySeconds").asInt(0);
        this.monotonic = !set.path("spec").path("podManagementPolicy").asText("OrderedReady").equals("Parallel");
        int start = StatefulPods.startOrdinal(set);
        this.replicas = new ObjectNode[Math.max(0, StatefulPods.replicas(set))];
        for (ObjectNode pod : pods) {
            if (StatefulPods.inOrdinalRange(set, pod)) {
                replicas[StatefulPods.ordinal(pod) - start] = pod;
            } else if (StatefulPods.ordinal(pod) >= 0) {
                condemned.add(pod);
            }
        }
        condemned.sort(Comparator.comparingInt(StatefulPods::ordinal).reversed());
        for (int i = 0; i < replicas.length; i++) {
            if (replicas[i] == null) {
                replicas[i] = newPod(start + i);
            }
        }
        for (ObjectNode pod : replicas) {
            if (firstUnavailable == null && unavailable(pod)) {
                firstUnavailable = pod;
            }
        }
        for (ObjectNode pod : condemned.reversed()) {
            if (firstUnavailable == null && unavailable(pod)) {
                firstUnavailable = pod;
            }
        }
    }

    Outcome run() {
        if (set.path("metadata").hasNonNull("deletionTimestamp")) {
            return outcome();
        }
        for (int i = 0; i < replicas.length; i++) {
            if (processReplica(i) && monotonic) {
                return outcome();
            }
        }
        for (ObjectNode pod : condemned) {
            if (!control.claimsMatchPolicy(set, pod, true)) {
                control.updateClaimsForPolicy(set, pod, true);
            }
        }
        for (ObjectNode pod : condemned) {
            if (processCondemned(pod) && monotonic) {
                return outcome();
            }
        }
        if (set.path("spec").path("updateStrategy").path("type").asText("RollingUpdate").equals("RollingUpdate")) {
            rollingUpdate();
        }
        return outcome();
    }

    /** True when an OrderedReady set must stop here for now. */
    private boolean processReplica(int i) {
        ObjectNode pod = replicas[i];
        String phase = StatefulPods.phase(pod);
        if (created(pod) && (phase.equals("Failed") || phase.equals("Succeeded"))) {
            if (!StatefulPods.terminating(pod)) {
                control.delete(set, pod); // made again on the next pass, once it is gone
            }
            return true;
        }
        if (!created(pod)) {
            if (control.claimIsStale(set, StatefulPods.ordinal(pod))) {
                waitingOnTime = true; // the garbage collector is removing the old claim
                return true;
            }
            control.create(set, pod);
            return monotonic;
        }
        if (phase.equals("Pending")) {
            control.createMissingClaims(set, pod);
        }
        if (monotonic && (StatefulPods.terminating(pod) || !StatefulPods.runningAndReady(pod))) {
            return true;
        }
        if (monotonic && !StatefulPods.runningAndAvailable(pod, minReady, now)) {
            waitingOnTime = true;
            return true;
        }
        if (!StatefulPods.identityMatches(set, pod) || !StatefulPods.storageMatches(set, pod)) {
            control.update(set, pod);
        }
        if (!control.claimsMatchPolicy(set, pod, false)) {
            control.updateClaimsForPolicy(set, pod, false);
        }
        return false;
    }

    /** Scale down: True when an OrderedReady set must stop here for now. */
    private boolean processCondemned(ObjectNode pod) {
        if (StatefulPods.terminating(pod)) {
            return monotonic;
        }
        if (monotonic && pod != firstUnavailable && !StatefulPods.runningAndAvailable(pod, minReady, now)) {
            return true;
        }
        control.delete(set, pod);
        return true;
    }

    /** Replaces the highest-ordinal pod not at the update revision, waiting until each replacement is available. */
    private void rollingUpdate() {
        int partition = set.path("spec").path("updateStrategy").path("rollingUpdate").path("partition").asInt(0);
        String update = StatefulPods.name(revs.update());
        for (int target = replicas.length - 1; target >= partition; target--) {
            ObjectNode pod = replicas[target];
            if (!StatefulPods.revision(pod).equals(update) && !StatefulPods.terminating(pod)) {
                if (created(pod)) {
                    control.delete(set, pod);
                    currentReplicasDelta--;
                }
                return;
            }
            if (unavailable(pod)) {
                return;
            }
        }
    }

    /** A pod for the ordinal: below the partition from the current revision, otherwise from the update revision. */
    private ObjectNode newPod(int ordinal) {
        JsonNode strategy = set.path("spec").path("updateStrategy");
        boolean current = strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")
                && strategy.path("rollingUpdate").isObject()
                && ordinal < strategy.path("rollingUpdate").path("partition").asInt(0);
        ObjectNode rev = current ? revs.current() : revs.update();
        return StatefulPods.newPod(set, Revisions.template(rev), StatefulPods.name(rev), ordinal);
    }

    private Outcome outcome() {
        int count = 0;
        int ready = 0;
        int available = 0;
        int current = 0;
        int updated = 0;
        List<ObjectNode> all = new ArrayList<>(List.of(replicas));
        all.addAll(condemned);
        for (ObjectNode pod : all) {
            if (!created(pod)) {
                continue;
            }
            count++;
            if (StatefulPods.runningAndReady(pod)) {
                ready++;
                if (StatefulPods.runningAndAvailable(pod, minReady, now)) {
                    available++;
                } else {
                    waitingOnTime = true;
                }
            }
            if (!StatefulPods.terminating(pod)) {
                String rev = StatefulPods.revision(pod);
                current += rev.equals(StatefulPods.name(revs.current())) ? 1 : 0;
                updated += rev.equals(StatefulPods.name(revs.update())) ? 1 : 0;
            }
        }
        current += currentReplicasDelta;
        String currentRevision = StatefulPods.name(revs.current());
        String updateRevision = StatefulPods.name(revs.update());
        if (set.path("spec").path("updateStrategy").path("type").asText("RollingUpdate").equals("RollingUpdate")
                && updated == count && ready == count) {
            current = updated;
            currentRevision = updateRevision;
        }
        ObjectNode status = set.path("status").isObject() ? ((ObjectNode) set.get("status")).deepCopy() : Json.object();
        status.put("observedGeneration", set.path("metadata").path("generation").asLong(1)).put("replicas", count)
                .put("readyReplicas", ready).put("currentReplicas", current).put("updatedReplicas", updated)
                .put("currentRevision", currentRevision).put("updateRevision", updateRevision)
                .put("collisionCount", revs.collisionCount()).put("availableReplicas", available);
        return new Outcome(status, waitingOnTime);
    }

    private boolean unavailable(ObjectNode pod) {
        return !created(pod) || StatefulPods.unavailable(pod, minReady, now);
    }

    /** A pod the API server holds (a pod made in this pass has no status yet). */
    private static boolean created(JsonNode pod) {
        return !StatefulPods.phase(pod).isEmpty();
    }
}
