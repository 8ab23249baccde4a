package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Kubernetes' TTL-after-finished controller: a finished Job with spec.ttlSecondsAfterFinished is
 * deleted (Background propagation, so its pods follow) that long after it finished.
 */
public final class TtlAfterFinishedController implements Reconciler {

    private final Api api;
    private final ObjectCache jobs;
    private final Clock clock;

    public TtlAfterFinishedController(Api api, ObjectCache jobs, Clock clock) {
        this.api = api;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        String name = key.substring(slash + 1);
        ObjectNode job = jobs.get(ns, name).orElse(null);
        Duration left = job == null ? null : timeLeft(job);
        if (left == null) {
            return Result.done();
        }
        if (left.isPositive()) {
            return Result.requeueAfter(left);
        }
        // The cache may be stale: check the TTL against the Job as the server has it now.
        ObjectNode fresh = api.find(Kinds.JOBS, ns, name).orElse(null);
        Duration stillLeft = fresh == null ? null : timeLeft(fresh);
        if (stillLeft == null) {
            return Result.done();
        }
        if (stillLeft.isPositive()) {
            return Result.requeueAfter(stillLeft);
        }
        try {
            api.delete(Kinds.JOBS, ns, name, "Background", Json.text(fresh, "metadata", "uid"));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
        return Result.done();
    }

    /** How long until the Job expires; null when it has no TTL, is not finished or is being deleted. */
    private Duration timeLeft(ObjectNode job) {
        if (!job.path("spec").hasNonNull("ttlSecondsAfterFinished") || job.path("metadata").hasNonNull("deletionTimestamp")) {
            return null;
        }
        Instant finished = JobConditions.finished(job) ? JobConditions.finishedAt(job) : null;
        if (finished == null) {
            return null;
        }
        Instant expires = finished.plusSeconds(job.path("spec").path("ttlSecondsAfterFinished").asLong());
        return Duration.between(clock.instant(), expires);
    }
}
