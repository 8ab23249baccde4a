package io.capstan.controllers.cronjob;

import io.capstan.client.fake.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.Result;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.controllers.OwnerRefs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CronJobControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache cronJobs = new FakeCache();
    final FakeCache jobs = new FakeCache();
    final TestClock clock = new TestClock("2026-11-25T08:01:00.500Z");
    final CronJobController controller = new CronJobController(api, cronJobs, jobs,
            new EventRecorder(api, "cronjob-controller", clock), clock);

    @Test
    void startsAJobNamedAfterTheScheduledMinuteAndSleepsUntilTheNext() {
        seed(cronJob("* * * * *"));

        Result result = controller.reconcile("default/tick");

        long minutes = Instant.parse("2026-11-25T08:01:00Z").getEpochSecond() / 60;
        JsonNode job = api.get(Kinds.JOBS, "default", "tick-" + minutes);
        assertThat(job.path("metadata").path("annotations").path("batch.kubernetes.io/cronjob-scheduled-timestamp").asText())
                .isEqualTo("2026-11-25T08:01:00Z");
        assertThat(job.path("metadata").path("labels").path("app").asText()).isEqualTo("tick");
        assertThat(OwnerRefs.controllerOf(job).path("kind").asText()).isEqualTo("CronJob");
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofMillis(59_600));
        JsonNode status = cronJobInApi().path("status");
        assertThat(status.path("lastScheduleTime").asText()).isEqualTo("2026-11-25T08:01:00Z");
        assertThat(status.path("active").get(0).path("name").asText()).isEqualTo("tick-" + minutes);
        assertThat(events()).contains("SuccessfulCreate: Created job tick-" + minutes);
    }

    @Test
    void beforeTheFirstScheduleTimeNothingStartsAndTheWaitIsUntilIt() {
        seed(cronJob("0 9 * * *"));

        Result result = controller.reconcile("default/tick");

        assertThat(api.actions()).noneMatch(a -> a.startsWith("create jobs"));
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofMinutes(58).plusMillis(59_600));
    }

    @Test
    void aTimeZoneMovesTheScheduleAndTheAnnotation() {
        ObjectNode cj = cronJob("0 10 * * *");
        Json.with(cj, "spec").put("timeZone", "Europe/Berlin");
        Json.with(cj, "metadata").put("creationTimestamp", "2026-11-25T08:30:00Z");
        clock.set("2026-11-25T09:00:02Z"); // 10:00 in Berlin
        seed(cj);

        controller.reconcile("default/tick");

        JsonNode job = api.listAll(Kinds.JOBS, "default", Map.of()).items().getFirst();
        assertThat(job.path("metadata").path("annotations").path("batch.kubernetes.io/cronjob-scheduled-timestamp").asText())
                .isEqualTo("2026-11-25T10:00:00+01:00");
    }

    @Test
    void forbidSkipsAStartWhileAJobIsActive() {
        ObjectNode cj = cronJob("* * * * *");
        Json.with(cj, "spec").put("concurrencyPolicy", "Forbid");
        Json.with(cj, "status").put("lastScheduleTime", "2026-11-25T08:00:00Z");
        ObjectNode cronJob = seed(cj);
        listActive(cronJob, job(cronJob, "tick-1", null));

        controller.reconcile("default/tick");

        assertThat(api.actions()).noneMatch(a -> a.startsWith("create jobs"));
        assertThat(events()).contains("JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid");
    }

    @Test
    void replaceDeletesTheActiveJobBeforeStartingTheNext() {
        ObjectNode cj = cronJob("* * * * *");
        Json.with(cj, "spec").put("concurrencyPolicy", "Replace");
        Json.with(cj, "status").put("lastScheduleTime", "2026-11-25T08:00:00Z");
        ObjectNode cronJob = seed(cj);
        listActive(cronJob, job(cronJob, "tick-1", null));

        controller.reconcile("default/tick");

        assertThat(api.actions()).contains("delete jobs default/tick-1 Background");
        assertThat(api.actions()).anyMatch(a -> a.startsWith("create jobs default/tick-"));
        assertThat(cronJobInApi().path("status").path("active")).hasSize(1);
    }

    @Test
    void aStartMissedByMoreThanTheStartingDeadlineIsSkippedUntilTheNextOne() {
        ObjectNode cj = cronJob("0 * * * *");
        Json.with(cj, "status").put("lastScheduleTime", "2026-11-25T07:00:00Z");
        Json.with(cj, "spec").put("startingDeadlineSeconds", 30);
        clock.set("2026-11-25T08:00:40Z");
        seed(cj);

        Result late = controller.reconcile("default/tick");

        assertThat(api.actions()).noneMatch(a -> a.startsWith("create jobs"));
        assertThat(late.requeueAfter()).isEqualTo(Duration.ofMinutes(59).plusMillis(20_100));

        clock.set("2026-11-25T08:00:20Z");
        controller.reconcile("default/tick");

        assertThat(api.actions()).anyMatch(a -> a.startsWith("create jobs default/tick-"));
    }

    @Test
    void moreThanAHundredMissedStartsWarnButTheLatestStillRuns() {
        ObjectNode cj = cronJob("* * * * *");
        Json.with(cj, "metadata").put("creationTimestamp", "2026-11-25T05:00:00Z");
        seed(cj);

        controller.reconcile("default/tick");

        assertThat(events()).anyMatch(e -> e.startsWith("TooManyMissedTimes: too many missed start times."));
        assertThat(cronJobInApi().path("status").path("lastScheduleTime").asText()).isEqualTo("2026-11-25T08:01:00Z");
    }

    @Test
    void finishedJobsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
        ObjectNode cj = cronJob("0 0 1 1 *");
        Json.with(cj, "spec").put("successfulJobsHistoryLimit", 1).put("failedJobsHistoryLimit", 1);
        ObjectNode cronJob = seed(cj);
        startedAt(job(cronJob, "tick-1", "Complete"), "2026-11-25T07:00:00Z");
        startedAt(job(cronJob, "tick-2", "Complete"), "2026-11-25T07:10:00Z");
        startedAt(job(cronJob, "tick-3", "Failed"), "2026-11-25T07:20:00Z");
        refresh();

        controller.reconcile("default/tick");

        assertThat(api.actions()).filteredOn(a -> a.startsWith("delete jobs")).containsExactly("delete jobs default/tick-1 Background");
        assertThat(events()).contains("SuccessfulDelete: Deleted job tick-1");
    }

    @Test
    void aCompletedActiveJobLeavesTheActiveListAndSetsLastSuccessfulTime() {
        ObjectNode cronJob = seed(cronJob("0 0 1 1 *"));
        listActive(cronJob, job(cronJob, "tick-1", "Complete"));

        controller.reconcile("default/tick");

        JsonNode status = cronJobInApi().path("status");
        assertThat(status.has("active")).isFalse();
        assertThat(status.path("lastSuccessfulTime").asText()).isEqualTo("2026-11-25T07:30:00Z");
        assertThat(events()).contains("SawCompletedJob: Saw completed job: tick-1, condition: Complete");
    }

    @Test
    void aSuspendedCronJobStartsNothingAndDoesNotWake() {
        ObjectNode cj = cronJob("* * * * *");
        Json.with(cj, "spec").put("suspend", true);
        seed(cj);

        Result result = controller.reconcile("default/tick");

        assertThat(result.requeueAfter()).isNull();
        assertThat(api.actions()).noneMatch(a -> a.startsWith("create jobs"));
    }

    private static ObjectNode cronJob(String schedule) {
        ObjectNode cj = Json.object();
        cj.putObject("metadata").put("name", "tick").put("namespace", "default").put("creationTimestamp", "2026-11-25T08:00:30Z");
        ObjectNode spec = cj.putObject("spec").put("schedule", schedule).put("concurrencyPolicy", "Allow");
        ObjectNode template = spec.putObject("jobTemplate");
        template.putObject("metadata").putObject("labels").put("app", "tick");
        template.putObject("spec").putObject("template").putObject("spec").put("restartPolicy", "Never");
        return cj;
    }

    private ObjectNode seed(ObjectNode cj) {
        ObjectNode stored = api.seed(Kinds.CRON_JOBS, cj);
        refresh();
        return stored;
    }

    /** A Job of the CronJob, finished with the given condition (or running when null). */
    private ObjectNode job(ObjectNode cronJob, String name, String finished) {
        ObjectNode job = Json.object();
        job.putObject("metadata").put("name", name).put("namespace", "default").putArray("ownerReferences")
                .add(OwnerRefs.controllerRef(cronJob));
        if (finished != null) {
            ObjectNode status = job.putObject("status").put("completionTime", "2026-11-25T07:30:00Z");
            status.putArray("conditions").addObject().put("type", finished).put("status", "True");
        }
        ObjectNode stored = api.seed(Kinds.JOBS, job);
        refresh();
        return stored;
    }

    private void startedAt(ObjectNode job, String time) {
        Json.with(job, "status").put("startTime", time);
        api.seed(Kinds.JOBS, job);
    }

    private void listActive(ObjectNode cronJob, ObjectNode job) {
        Json.with(cronJob, "status").putArray("active").addObject().put("name", Json.text(job, "metadata", "name"))
                .put("namespace", "default").put("uid", Json.text(job, "metadata", "uid"));
        api.seed(Kinds.CRON_JOBS, cronJob);
        refresh();
    }

    private void refresh() {
        cronJobs.list().forEach(cronJobs::remove);
        jobs.list().forEach(jobs::remove);
        api.listAll(Kinds.CRON_JOBS, "default", Map.of()).items().forEach(cronJobs::put);
        api.listAll(Kinds.JOBS, "default", Map.of()).items().forEach(jobs::put);
    }

    private JsonNode cronJobInApi() {
        return api.get(Kinds.CRON_JOBS, "default", "tick");
    }

    private List<String> events() {
        return api.listAll(Kinds.EVENTS, "default", Map.of()).items().stream()
                .map(e -> e.path("reason").asText() + ": " + e.path("message").asText()).toList();
    }
}
