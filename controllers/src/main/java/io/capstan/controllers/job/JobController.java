package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.Expectations;
import io.capstan.controllers.OwnerRefs;
import io.capstan.controllers.Pods;
import io.capstan.controllers.job.JobConditions.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;

/**
 * Runs each Job to completion as Kubernetes' Job controller does: keeps up to parallelism pods
 * running until completions have succeeded (by count, or one per index for Indexed Jobs),
 * replaces failed pods after an exponential back-off, fails the Job past backoffLimit or
 * activeDeadlineSeconds, honours suspend, and reports counts and conditions in status.
 */
public final class JobController implements Reconciler {

    private final ObjectCache jobs;
    private final ObjectCache pods;
    private final EventRecorder events;
    private final Expectations expectations;
    private final Clock clock;
    private final JobPodControl podControl;
    private final FinalizerTracking tracking;

    public JobController(Api api, ObjectCache jobs, ObjectCache pods, EventRecorder events, Expectations expectations, Clock clock) {
        this.jobs = jobs;
        this.pods = pods;
        this.events = events;
        this.expectations = expectations;
        this.clock = clock;
        this.podControl = new JobPodControl(api, events, expectations);
        this.tracking = new FinalizerTracking(api, events, clock);
    }

    @Override
    public Result reconcile(String key) throws Exception {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        String name = key.substring(slash + 1);
        ObjectNode cached = jobs.get(ns, name).orElse(null);
        if (cached == null) {
            expectations.forget(key);
            return released(tracking.release(orphans(ns, name)));
        }
        ObjectNode job = cached.deepCopy();
        List<ObjectNode> owned = pods.byIndex(Indexes.CONTROLLER, Json.text(job, "metadata", "uid"));
        if (JobConditions.finished(job)) {
            return released(tracking.release(owned));
        }
        JsonNode spec = job.path("spec");
        String mode = spec.path("completionMode").asText("NonIndexed");
        if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            events.warning(job, "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
            return Result.done();
        }
        boolean satisfied = expectations.satisfied(key);
        Instant now = clock.instant();
        ObjectNode status = job.path("status").isObject() ? ((ObjectNode) job.get("status")).deepCopy() : Json.object();
        List<ObjectNode> active = owned.stream().filter(JobPods::active).toList();
        int ready = (int) active.stream().filter(Pods::ready).count();
        int terminating = (int) owned.stream().filter(JobPods::terminating).count();
        JsonNode uncounted = status.path("uncountedTerminatedPods");
        int succeeded = status.path("succeeded").asInt(0) + uncounted.path("succeeded").size()
                + newlyFinished(owned, uncounted, p -> JobPods.succeeded(p));
        int failed = status.path("failed").asInt(0) + uncounted.path("failed").size()
                + newlyFinished(owned, uncounted, p -> JobPods.failed(job, p) && !JobPods.succeeded(p));
        boolean suspended = spec.path("suspend").asBoolean(false);
        if (!status.hasNonNull("startTime") && !suspended) {
            status.put("startTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        Duration requeue = null;
        Condition finished = null;
        JsonNode met = JobConditions.find(job, JobConditions.SUCCESS_CRITERIA_MET);
        JsonNode target = JobConditions.find(job, JobConditions.FAILURE_TARGET);
        if (JobConditions.isTrue(job, JobConditions.SUCCESS_CRITERIA_MET)) {
            finished = new Condition(JobConditions.SUCCESS_CRITERIA_MET, met.path("reason").asText(), met.path("message").asText());
        } else if (JobConditions.isTrue(job, JobConditions.FAILURE_TARGET)) {
            finished = new Condition(JobConditions.FAILURE_TARGET, target.path("reason").asText(), target.path("message").asText());
        } else if (failed > spec.path("backoffLimit").asInt(6) || pastBackoffLimitOnFailure(job, owned)) {
            finished = new Condition(JobConditions.FAILURE_TARGET, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        } else if (spec.hasNonNull("activeDeadlineSeconds") && !suspended) {
            Duration left = Duration.ofSeconds(spec.path("activeDeadlineSeconds").asLong())
                    .minus(Duration.between(Instant.parse(status.path("startTime").asText()), now));
            if (left.isNegative() || left.isZero()) {
                finished = new Condition(JobConditions.FAILURE_TARGET, "DeadlineExceeded", "Job was active longer than specified deadline");
            } else {
                requeue = left;
            }
        }
        int completions = spec.path("completions").asInt(0);
        BitSet succeededIndexes = null;
        if (mode.equals("Indexed")) {
            succeededIndexes = CompletedIndexes.parse(status.path("completedIndexes").asText(""), completions);
            for (ObjectNode pod : owned) {
                int index = JobPods.completionIndex(pod);
                if (JobPods.succeeded(pod) && index >= 0 && index < completions) {
                    succeededIndexes.set(index);
                }
            }
            succeeded = succeededIndexes.cardinality();
        }
        int activeCount = active.size();
        if (finished != null) {
            JobPodControl.Deleted deleted = podControl.deleteActive(job, active);
            if (deleted.count() != active.size() || !satisfied) {
                finished = null; // wait for the deletions and the cache before declaring the Job finished
            }
            activeCount -= deleted.count();
            terminating += deleted.count();
            ready -= deleted.ready();
        } else {
            boolean managed = false;
            if (satisfied && !job.path("metadata").hasNonNull("deletionTimestamp")) {
                JobPodControl.Managed m = podControl.manage(key, job, owned, active, succeeded, succeededIndexes, now);
                activeCount = m.active();
                terminating += m.deleted();
                requeue = earliest(requeue, m.requeue());
                managed = true;
            }
            boolean complete = spec.hasNonNull("completions") ? succeeded >= completions && activeCount == 0
                    : succeeded > 0 && activeCount == 0;
            if (complete) {
                finished = new Condition(JobConditions.SUCCESS_CRITERIA_MET, "CompletionsReached", "Reached expected number of succeeded pods");
            } else if (managed) {
                suspendCondition(job, status, suspended, now);
            }
        }
        status.put("active", activeCount).put("ready", ready).put("terminating", terminating);
        boolean allReleased = tracking.track(new FinalizerTracking.Pass(job, status, owned, finished, succeededIndexes, completions, terminating));
        if (!allReleased) {
            requeue = earliest(requeue, Duration.ofMillis(200));
        }
        return requeue == null ? Result.done() : Result.requeueAfter(requeue);
    }

    /** Sets Suspended True or False (only once it exists); resuming restarts the active deadline's clock. */
    private void suspendCondition(ObjectNode job, ObjectNode status, boolean suspended, Instant now) {
        if (suspended) {
            if (JobConditions.ensure(status, JobConditions.SUSPENDED, true, "JobSuspended", "Job suspended", now)) {
                events.normal(job, "Suspended", "Job suspended");
            }
        } else if (JobConditions.ensure(status, JobConditions.SUSPENDED, false, "JobResumed", "Job resumed", now)) {
            events.normal(job, "Resumed", "Job resumed");
            status.put("startTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

    /** Finished pods still carrying the finalizer whose uid status does not yet list. */
    private static int newlyFinished(List<ObjectNode> owned, JsonNode uncounted, java.util.function.Predicate<ObjectNode> finished) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        uncounted.path("succeeded").forEach(u -> listed.add(u.asText()));
        uncounted.path("failed").forEach(u -> listed.add(u.asText()));
        return (int) owned.stream().filter(JobPods::tracked).filter(finished)
                .filter(p -> !listed.contains(Json.text(p, "metadata", "uid"))).count();
    }

    /** restartPolicy OnFailure: the containers' restarts in running pods count against backoffLimit. */
    private static boolean pastBackoffLimitOnFailure(JsonNode job, List<ObjectNode> owned) {
        if (!job.path("spec").path("template").path("spec").path("restartPolicy").asText().equals("OnFailure")) {
            return false;
        }
        int restarts = 0;
        for (ObjectNode pod : owned) {
            String phase = JobPods.phase(pod);
            if (phase.equals("Running") || phase.equals("Pending")) {
                for (String list : List.of("initContainerStatuses", "containerStatuses")) {
                    for (JsonNode c : pod.path("status").path(list)) {
                        restarts += c.path("restartCount").asInt(0);
                    }
                }
            }
        }
        int limit = job.path("spec").path("backoffLimit").asInt(6);
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    /** Pods still controlled by a Job of this name that no longer exists. */
    private List<ObjectNode> orphans(String ns, String name) {
        return pods.byIndex(Indexes.NAMESPACE, ns).stream().filter(JobPods::tracked).filter(p -> {
            JsonNode ref = OwnerRefs.controllerOf(p);
            return ref != null && ref.path("kind").asText().equals("Job") && ref.path("name").asText().equals(name);
        }).toList();
    }

    private static Result released(boolean all) {
        return all ? Result.done() : Result.requeueAfter(Duration.ofMillis(200));
    }

    private static Duration earliest(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }
}
