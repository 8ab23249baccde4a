package io.capstan.controllers.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.CronSchedule;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Starts a CronJob's Jobs on its schedule as Kubernetes' CronJob controller (v2) does: one Job per
 * scheduled time, named after it so it is never made twice, within startingDeadlineSeconds, under
 * the concurrency policy; keeps status.active and the last schedule and success times; trims
 * finished Jobs to the history limits; and sleeps until the next schedule time.
 */
public final class CronJobController implements Reconciler {

    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter RFC1123Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final Api api;
    private final ObjectCache cronJobs;
    private final ObjectCache jobs;
    private final EventRecorder events;
    private final Clock clock;

    public CronJobController(Api api, ObjectCache cronJobs, ObjectCache jobs, EventRecorder events, Clock clock) {
        this.api = api;
        this.cronJobs = cronJobs;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode cached = cronJobs.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (cached == null) {
            return Result.done();
        }
        ObjectNode cj = cached.deepCopy();
        List<ObjectNode> children = jobs.byIndex(Indexes.CONTROLLER, Json.text(cj, "metadata", "uid"));
        if (cacheBehind(cached, children)) {
            return Result.requeueAfter(ScheduleTimes.DELTA); // our own last status write is still on its way
        }
        if (!cj.path("status").isObject()) {
            cj.putObject("status");
        }
        cleanupFinishedJobs(cj, children);
        Duration requeue = sync(cj, children);
        if (!cj.path("status").equals(cached.path("status"))) {
            api.update(Kinds.CRON_JOBS, Json.text(cj, "metadata", "namespace"), Json.text(cj, "metadata", "name"), "status", cj);
        }
        return requeue == null ? Result.done() : Result.requeueAfter(requeue);
    }

    /** An unfinished Job missing from status.active may be one we listed in a status write the cache has not seen yet. */
    private boolean cacheBehind(ObjectNode cached, List<ObjectNode> children) {
        boolean unexpected = children.stream()
                .anyMatch(j -> finishedCondition(j) == null && !inActive(cached, Json.text(j, "metadata", "uid")));
        if (!unexpected) {
            return false;
        }
        return api.find(Kinds.CRON_JOBS, Json.text(cached, "metadata", "namespace"), Json.text(cached, "metadata", "name"))
                .map(fresh -> !Json.text(fresh, "metadata", "resourceVersion").equals(Json.text(cached, "metadata", "resourceVersion")))
                .orElse(false);
    }

    /** Reconciles status.active with the Jobs, then starts the Job due now, if any; returns when to look again. */
    private Duration sync(ObjectNode cj, List<ObjectNode> children) {
        Instant now = clock.instant();
        ObjectNode status = (ObjectNode) cj.get("status");
        for (ObjectNode job : children) {
            String uid = Json.text(job, "metadata", "uid");
            boolean listed = inActive(cj, uid);
            String finished = finishedCondition(job);
            if (!listed && finished == null) {
                events.warning(cj, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + Json.text(job, "metadata", "name"));
            } else if (finished != null) {
                if (listed) {
                    removeFromActive(cj, uid);
                    events.normal(cj, "SawCompletedJob", "Saw completed job: " + Json.text(job, "metadata", "name") + ", condition: " + finished);
                }
                String completion = Json.text(job, "status", "completionTime");
                Instant completed = ScheduleTimes.instant(completion);
                Instant lastSuccess = ScheduleTimes.instant(Json.text(status, "lastSuccessfulTime"));
                if (finished.equals("Complete") && completed != null && (lastSuccess == null || completed.isAfter(lastSuccess))) {
                    status.put("lastSuccessfulTime", completion);
                }
            }
        }
        for (JsonNode ref : List.copyOf(activeRefs(cj))) {
            String uid = ref.path("uid").asText();
            boolean known = children.stream().anyMatch(j -> uid.equals(Json.text(j, "metadata", "uid")));
            if (!known && api.find(Kinds.JOBS, ref.path("namespace").asText(), ref.path("name").asText()).isEmpty()) {
                events.normal(cj, "MissingJob", "Active job went missing: " + ref.path("name").asText());
                removeFromActive(cj, uid);
            }
        }
        if (cj.path("metadata").hasNonNull("deletionTimestamp")) {
            return null;
        }
        JsonNode spec = cj.path("spec");
        ZoneId zone = clock.getZone();
        if (spec.hasNonNull("timeZone")) {
            String name = spec.path("timeZone").asText();
            zone = CronSchedule.zoneOf(name).orElse(null);
            if (zone == null) {
                events.warning(cj, "UnknownTimeZone", "invalid timeZone: \"" + name + "\": unknown time zone " + name);
                return null;
            }
        }
        if (spec.path("suspend").asBoolean(false)) {
            return null;
        }
        String scheduleText = spec.path("schedule").asText("");
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(scheduleText, zone);
        } catch (IllegalArgumentException e) {
            events.warning(cj, "UnparseableSchedule", "unparseable schedule: \"" + scheduleText + "\" : " + e.getMessage());
            return null;
        }
        Instant scheduled;
        try {
            ScheduleTimes.Recent recent = ScheduleTimes.mostRecent(cj, now, schedule, true);
            scheduled = recent.mostRecent();
            if (scheduled != null && recent.missed() == ScheduleTimes.Missed.MANY) {
                events.warning(cj, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
            }
        } catch (IllegalStateException e) {
            events.warning(cj, "InvalidSchedule", "invalid schedule: " + scheduleText + " : " + e.getMessage());
            return null;
        }
        Duration next = ScheduleTimes.untilNext(cj, now, schedule);
        if (scheduled == null) {
            return next;
        }
        if (spec.hasNonNull("startingDeadlineSeconds") && scheduled.plusSeconds(spec.path("startingDeadlineSeconds").asLong()).isBefore(now)) {
            events.warning(cj, "MissSchedule", "Missed scheduled time to start a job: " + RFC1123Z.format(scheduled.atZone(java.time.ZoneOffset.UTC)));
            return next;
        }
        String jobName = Json.text(cj, "metadata", "name") + "-" + scheduled.getEpochSecond() / 60;
        boolean listedByName = activeRefs(cj).stream().anyMatch(r -> r.path("name").asText().equals(jobName));
        if (listedByName || scheduled.equals(ScheduleTimes.instant(Json.text(status, "lastScheduleTime")))) {
            return next;
        }
        String policy = spec.path("concurrencyPolicy").asText("Allow");
        if (policy.equals("Forbid") && !activeRefs(cj).isEmpty()) {
            events.normal(cj, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return next;
        }
        if (policy.equals("Replace")) {
            for (JsonNode ref : List.copyOf(activeRefs(cj))) {
                deleteJob(cj, ref.path("name").asText(), ref.path("uid").asText());
            }
        }
        ObjectNode job;
        try {
            job = api.create(Kinds.JOBS, Json.text(cj, "metadata", "namespace"), jobFromTemplate(cj, jobName, scheduled, zone));
            events.normal(cj, "SuccessfulCreate", "Created job " + jobName);
        } catch (StatusException e) {
            if (e.code() != 409) {
                events.warning(cj, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            // Made earlier, before a status update was lost: take it back into the active list if it is ours.
            job = api.get(Kinds.JOBS, Json.text(cj, "metadata", "namespace"), jobName);
            if (!Json.text(cj, "metadata", "uid").equals(OwnerRefs.controllerUid(job)) || inActive(cj, Json.text(job, "metadata", "uid"))) {
                return null;
            }
        }
        ((ArrayNode) (status.get("active") instanceof ArrayNode a ? a : status.putArray("active"))).add(reference(job));
        status.put("lastScheduleTime", scheduled.toString());
        return next;
    }

    /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
    private void cleanupFinishedJobs(ObjectNode cj, List<ObjectNode> children) {
        JsonNode spec = cj.path("spec");
        List<ObjectNode> succeeded = new ArrayList<>();
        List<ObjectNode> failed = new ArrayList<>();
        for (ObjectNode job : children) {
            String finished = finishedCondition(job);
            if ("Complete".equals(finished)) {
                succeeded.add(job);
            } else if ("Failed".equals(finished)) {
                failed.add(job);
            }
        }
        if (spec.hasNonNull("successfulJobsHistoryLimit")) {
            removeOldest(cj, succeeded, spec.path("successfulJobsHistoryLimit").asInt());
        }
        if (spec.hasNonNull("failedJobsHistoryLimit")) {
            removeOldest(cj, failed, spec.path("failedJobsHistoryLimit").asInt());
        }
    }

    private void removeOldest(ObjectNode cj, List<ObjectNode> finished, int keep) {
        int surplus = finished.size() - keep;
        if (surplus <= 0) {
            return;
        }
        // By start time, Jobs never started last, names breaking ties (Kubernetes' byJobStartTime).
        finished.sort(Comparator.comparing((ObjectNode j) -> j.path("status").path("startTime").asText("").isEmpty())
                .thenComparing(j -> j.path("status").path("startTime").asText(""))
                .thenComparing(j -> Json.text(j, "metadata", "name")));
        for (ObjectNode job : finished.subList(0, surplus)) {
            deleteJob(cj, Json.text(job, "metadata", "name"), Json.text(job, "metadata", "uid"));
        }
    }

    /** Deletes a Job with its pods (Background) and drops it from status.active. */
    private void deleteJob(ObjectNode cj, String name, String uid) {
        try {
            api.delete(Kinds.JOBS, Json.text(cj, "metadata", "namespace"), name, "Background", null);
        } catch (StatusException e) {
            if (e.code() != 404) {
                events.warning(cj, "FailedDelete", "Deleted job: " + e.getMessage());
                throw e;
            }
        }
        removeFromActive(cj, uid);
        events.normal(cj, "SuccessfulDelete", "Deleted job " + name);
    }

    /** The Job for one scheduled time: the template's labels, annotations and spec, owned by the CronJob. */
    static ObjectNode jobFromTemplate(JsonNode cj, String name, Instant scheduled, ZoneId zone) {
        JsonNode template = cj.path("spec").path("jobTemplate");
        ObjectNode job = Json.object().put("apiVersion", "batch/v1").put("kind", "Job");
        ObjectNode meta = job.putObject("metadata").put("name", name);
        meta.set("labels", template.path("metadata").path("labels").isObject() ? template.path("metadata").path("labels").deepCopy() : Json.object());
        ObjectNode annotations = template.path("metadata").path("annotations").isObject()
                ? ((ObjectNode) template.path("metadata").path("annotations")).deepCopy() : Json.object();
        annotations.put(SCHEDULED_TIMESTAMP, RFC3339.format(scheduled.atZone(zone)));
        meta.set("annotations", annotations);
        meta.putArray("ownerReferences").add(OwnerRefs.controllerRef(cj));
        job.set("spec", template.path("spec").deepCopy());
        return job;
    }

    private static ObjectNode reference(JsonNode job) {
        JsonNode meta = job.path("metadata");
        return Json.object().put("apiVersion", "batch/v1").put("kind", "Job").put("name", meta.path("name").asText())
                .put("namespace", meta.path("namespace").asText()).put("uid", meta.path("uid").asText())
                .put("resourceVersion", meta.path("resourceVersion").asText());
    }

    /** "Complete" or "Failed" when the Job has finished, else null. */
    static String finishedCondition(JsonNode job) {
        for (JsonNode c : job.path("status").path("conditions")) {
            String type = c.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && c.path("status").asText().equals("True")) {
                return type;
            }
        }
        return null;
    }

    private static List<JsonNode> activeRefs(JsonNode cj) {
        List<JsonNode> refs = new ArrayList<>();
        cj.path("status").path("active").forEach(refs::add);
        return refs;
    }

    private static boolean inActive(JsonNode cj, String uid) {
        return activeRefs(cj).stream().anyMatch(r -> r.path("uid").asText().equals(uid));
    }

    private static void removeFromActive(ObjectNode cj, String uid) {
        ObjectNode status = (ObjectNode) cj.get("status");
        if (!(status.get("active") instanceof ArrayNode active)) {
            return;
        }
        ArrayNode kept = Json.array();
        active.forEach(r -> {
            if (!r.path("uid").asText().equals(uid)) {
                kept.add(r);
            }
        });
        if (kept.isEmpty()) {
            status.remove("active");
        } else {
            status.set("active", kept);
        }
    }
}
