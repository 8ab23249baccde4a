package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.controllers.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How the Job controller reads its pods: finished, failed, terminating, their completion index and the back-off they earn. */
final class JobPods {

    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
    static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

    private JobPods() {}

    static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText("");
    }

    static boolean succeeded(JsonNode pod) {
        return phase(pod).equals("Succeeded");
    }

    /** Failed, or deleted before it succeeded: a pod that will never complete counts as a failure (podReplacementPolicy TerminatingOrFailed). */
    static boolean failed(JsonNode job, JsonNode pod) {
        if (phase(pod).equals("Failed")) {
            return true;
        }
        if (job.path("spec").path("podReplacementPolicy").asText("").equals("Failed") || job.path("spec").has("podFailurePolicy")) {
            return false;
        }
        return deleting(pod) && !succeeded(pod);
    }

    static boolean deleting(JsonNode pod) {
        return pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    /** Being deleted but not yet finished. */
    static boolean terminating(JsonNode pod) {
        return deleting(pod) && !phase(pod).equals("Succeeded") && !phase(pod).equals("Failed");
    }

    static boolean tracked(JsonNode pod) {
        return io.capstan.controllers.Finalizers.has(pod, TRACKING_FINALIZER);
    }

    /** A merge patch taking the tracking finalizer off the pod, conditional on its resourceVersion. */
    static com.fasterxml.jackson.databind.node.ObjectNode untrackPatch(JsonNode pod) {
        return io.capstan.controllers.Finalizers.removalPatch(pod, TRACKING_FINALIZER);
    }

    static boolean active(JsonNode pod) {
        return Pods.active(pod);
    }

    /** The pod's completion index from its annotation, or -1 when it has none or it is not a number. */
    static int completionIndex(JsonNode pod) {
        String value = pod.path("metadata").path("annotations").path(COMPLETION_INDEX).asText("");
        try {
            int i = Integer.parseInt(value);
            return i >= 0 ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** When the pod finished: its containers' last finishedAt, else its deletion, else its creation. */
    static Instant finishTime(JsonNode pod) {
        Instant latest = null;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            Instant t = parse(c.path("state").path("terminated").path("finishedAt").asText(""));
            if (t != null && (latest == null || t.isAfter(latest))) {
                latest = t;
            }
        }
        if (latest == null) {
            latest = parse(pod.path("metadata").path("deletionTimestamp").asText(""));
        }
        if (latest == null) {
            latest = parse(pod.path("metadata").path("creationTimestamp").asText(""));
        }
        return latest == null ? Instant.EPOCH : latest;
    }

    /**
     * How long to wait before creating a replacement pod: 10 s after the last failure, doubling with
     * each failure since the last success, at most 6 minutes; zero when nothing failed since.
     */
    static Duration remainingBackoff(JsonNode job, List<? extends JsonNode> pods, Instant now) {
        Instant lastSuccess = Instant.MIN;
        for (JsonNode p : pods) {
            if (succeeded(p) && finishTime(p).isAfter(lastSuccess)) {
                lastSuccess = finishTime(p);
            }
        }
        int failures = 0;
        Instant lastFailure = null;
        for (JsonNode p : pods) {
            if (failed(job, p) && finishTime(p).isAfter(lastSuccess)) {
                failures++;
                Instant t = finishTime(p);
                lastFailure = lastFailure == null || t.isAfter(lastFailure) ? t : lastFailure;
            }
        }
        if (failures == 0) {
            return Duration.ZERO;
        }
        Duration backoff = failures > 6 ? BACKOFF_MAX : BACKOFF_BASE.multipliedBy(1L << (failures - 1));
        if (backoff.compareTo(BACKOFF_MAX) > 0) {
            backoff = BACKOFF_MAX;
        }
        Duration left = backoff.minus(Duration.between(lastFailure, now));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Instant parse(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
