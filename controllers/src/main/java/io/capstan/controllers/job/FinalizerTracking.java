package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.controllers.job.JobConditions.Condition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts finished pods exactly once, as Kubernetes' Job controller does with the
 * batch.kubernetes.io/job-tracking finalizer: a finished pod's uid first goes to
 * status.uncountedTerminatedPods, then its finalizer is removed, then the uid moves into the
 * succeeded or failed counter. A pod deleted meanwhile cannot vanish uncounted. Finally the
 * terminal condition (Complete or Failed) is written once nothing is uncounted or terminating.
 */
final class FinalizerTracking {

    private final Api api;
    private final EventRecorder events;
    private final Clock clock;

    FinalizerTracking(Api api, EventRecorder events, Clock clock) {
        this.api = api;
        this.events = events;
        this.clock = clock;
    }

    /** What one pass decided, for {@link #track}. */
    record Pass(ObjectNode job, ObjectNode status, List<ObjectNode> pods, Condition finished, BitSet succeededIndexes,
                int completions, int terminating) {}

    /** Counts finished pods, releases their finalizers and finishes the Job; false when some finalizer could not be removed yet. */
    boolean track(Pass pass) {
        ObjectNode job = pass.job();
        ObjectNode status = pass.status();
        boolean indexed = pass.succeededIndexes() != null;
        Set<String> uncountedSucceeded = uids(status, "succeeded");
        Set<String> uncountedFailed = uids(status, "failed");
        Set<String> withFinalizer = new HashSet<>();
        for (ObjectNode pod : pass.pods()) {
            if (JobPods.tracked(pod)) {
                withFinalizer.add(Json.text(pod, "metadata", "uid"));
            }
        }
        count(status, uncountedSucceeded, uncountedFailed, withFinalizer);
        Condition finished = pass.finished();
        boolean jobDeleting = job.path("metadata").hasNonNull("deletionTimestamp");
        List<ObjectNode> release = new ArrayList<>();
        for (ObjectNode pod : pass.pods()) {
            boolean podFailed = JobPods.failed(job, pod);
            if (!JobPods.tracked(pod) || !(jobDeleting || finished != null || JobPods.succeeded(pod) || podFailed)) {
                continue;
            }
            release.add(pod);
            String uid = Json.text(pod, "metadata", "uid");
            if (JobPods.succeeded(pod) && !uncountedFailed.contains(uid)) {
                if (!indexed) {
                    uncountedSucceeded.add(uid); // an Indexed Job counts by index instead
                }
            } else if (podFailed || (finished != null && !finished.type().equals(JobConditions.SUCCESS_CRITERIA_MET))) {
                int index = JobPods.completionIndex(pod);
                if (!indexed || (index >= 0 && index < pass.completions())) {
                    uncountedFailed.add(uid);
                }
            }
        }
        if (indexed) {
            status.put("completedIndexes", CompletedIndexes.format(pass.succeededIndexes()))
                    .put("succeeded", pass.succeededIndexes().cardinality());
        }
        writeUncounted(status, uncountedSucceeded, uncountedFailed);
        if (finished != null && finished.type().equals(JobConditions.FAILURE_TARGET)) {
            JobConditions.ensure(status, JobConditions.FAILURE_TARGET, true, finished.reason(), finished.message(), clock.instant());
            finished = new Condition(JobConditions.FAILED, finished.reason(), finished.message());
        } else if (finished != null && finished.type().equals(JobConditions.SUCCESS_CRITERIA_MET)) {
            JobConditions.ensure(status, JobConditions.SUCCESS_CRITERIA_MET, true, finished.reason(), finished.message(), clock.instant());
            finished = new Condition(JobConditions.COMPLETE, finished.reason(), finished.message());
        }
        ObjectNode current = job;
        if (!status.equals(job.path("status"))) {
            current = writeStatus(job, status); // the uids are recorded before any finalizer goes
        }
        boolean allReleased = true;
        for (ObjectNode pod : release) {
            if (removeFinalizer(pod)) {
                withFinalizer.remove(Json.text(pod, "metadata", "uid"));
            } else {
                allReleased = false;
            }
        }
        count(status, uncountedSucceeded, uncountedFailed, withFinalizer);
        writeUncounted(status, uncountedSucceeded, uncountedFailed);
        boolean done = finished != null && uncountedSucceeded.isEmpty() && uncountedFailed.isEmpty() && pass.terminating() == 0;
        if (done) {
            JobConditions.ensure(status, finished.type(), true, finished.reason(), finished.message(), clock.instant());
            if (finished.type().equals(JobConditions.COMPLETE)) {
                status.put("completionTime", JobConditions.inStatus(status, JobConditions.COMPLETE).path("lastTransitionTime").asText());
            }
        }
        if (!status.equals(current.path("status"))) {
            writeStatus(current, status);
        }
        if (done) {
            if (finished.type().equals(JobConditions.COMPLETE)) {
                events.normal(job, "Completed", "Job completed");
            } else {
                events.warning(job, finished.reason(), finished.message());
            }
        }
        return allReleased;
    }

    /** Removes the tracking finalizer from pods that no longer need it (their Job finished or is gone); false when one could not be. */
    boolean release(List<ObjectNode> pods) {
        boolean all = true;
        for (ObjectNode pod : pods) {
            if (JobPods.tracked(pod)) {
                all &= removeFinalizer(pod);
            }
        }
        return all;
    }

    /** Moves uncounted uids whose finalizer is gone into the counters. */
    private static void count(ObjectNode status, Set<String> succeeded, Set<String> failed, Set<String> withFinalizer) {
        int s = (int) succeeded.stream().filter(u -> !withFinalizer.contains(u)).count();
        int f = (int) failed.stream().filter(u -> !withFinalizer.contains(u)).count();
        succeeded.retainAll(withFinalizer);
        failed.retainAll(withFinalizer);
        if (s > 0) {
            status.put("succeeded", status.path("succeeded").asInt(0) + s);
        }
        if (f > 0) {
            status.put("failed", status.path("failed").asInt(0) + f);
        }
    }

    private static Set<String> uids(ObjectNode status, String which) {
        Set<String> set = new LinkedHashSet<>();
        status.path("uncountedTerminatedPods").path(which).forEach(u -> set.add(u.asText()));
        return set;
    }

    private static void writeUncounted(ObjectNode status, Set<String> succeeded, Set<String> failed) {
        ObjectNode uncounted = Json.object();
        if (!succeeded.isEmpty()) {
            ArrayNode a = uncounted.putArray("succeeded");
            succeeded.forEach(a::add);
        }
        if (!failed.isEmpty()) {
            ArrayNode a = uncounted.putArray("failed");
            failed.forEach(a::add);
        }
        status.set("uncountedTerminatedPods", uncounted);
    }

    private ObjectNode writeStatus(ObjectNode job, ObjectNode status) {
        ObjectNode next = job.deepCopy();
        next.set("status", status.deepCopy());
        return api.update(Kinds.JOBS, Json.text(job, "metadata", "namespace"), Json.text(job, "metadata", "name"), "status", next);
    }

    /** Takes the tracking finalizer off the pod; true when it is gone (or the pod is), false on a conflict to retry. */
    private boolean removeFinalizer(JsonNode pod) {
        ObjectNode patch = JobPods.untrackPatch(pod);
        try {
            api.patch(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), "", ApiClient.MERGE_PATCH, patch);
            return true;
        } catch (StatusException e) {
            if (e.code() == 404) {
                return true;
            }
            if (e.code() == 409) {
                return false;
            }
            throw e;
        }
    }
}
