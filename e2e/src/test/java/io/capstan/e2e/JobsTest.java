package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs and CronJobs on simulated nodes through the real kubectl: completion, failure past the
 * back-off limit, Indexed pods, a CronJob firing and keeping its history, and cascading deletion.
 */
class JobsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "2");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aJobWithThreeCompletionsTwoAtATimeCompletes() throws Exception {
        kubectl.run("create", "namespace", "done").ok();
        apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: three, namespace: done}
                spec:
                  completions: 3
                  parallelism: 2
                  template:
                    metadata: {annotations: {capstan.io/simulated-runtime: 500ms}}
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox}]
                """);

        Kubectl.Result waited = kubectl.run("wait", "--for=condition=complete", "job/three", "-n", "done", "--timeout=45s");

        assertThat(waited.exit()).as(waited.err() + waited.out()).isZero();
        JsonNode job = json("get", "job", "three", "-n", "done", "-o", "json");
        assertThat(job.path("status").path("succeeded").asInt()).isEqualTo(3);
        assertThat(job.path("status").path("completionTime").isTextual()).isTrue();
        assertThat(conditionTypes(job)).containsExactly("SuccessCriteriaMet", "Complete");
        assertThat(job.path("spec").path("selector").path("matchLabels").path("batch.kubernetes.io/controller-uid").asText())
                .isEqualTo(job.path("metadata").path("uid").asText());
        JsonNode pods = json("get", "pods", "-n", "done", "-l", "batch.kubernetes.io/job-name=three", "-o", "json");
        assertThat(pods.path("items")).hasSize(3);
        for (JsonNode pod : pods.path("items")) {
            assertThat(pod.path("metadata").path("labels").path("job-name").asText()).isEqualTo("three");
            assertThat(pod.path("metadata").path("finalizers").toString()).doesNotContain("batch.kubernetes.io/job-tracking");
        }
        assertThat(events("done", "three")).contains("SuccessfulCreate: Created pod: " + pods.path("items").get(0).path("metadata").path("name").asText(),
                "Completed: Job completed");
    }

    @Test
    void aJobWhosePodsFailStopsAtItsBackoffLimit() throws Exception {
        kubectl.run("create", "namespace", "fail").ok();
        apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: doomed, namespace: fail}
                spec:
                  backoffLimit: 1
                  template:
                    metadata: {annotations: {capstan.io/simulated-exit-code: "1", capstan.io/simulated-runtime: 200ms}}
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox}]
                """);

        Kubectl.Result waited = kubectl.run("wait", "--for=condition=failed", "job/doomed", "-n", "fail", "--timeout=50s");

        assertThat(waited.exit()).as(waited.err() + waited.out()).isZero();
        JsonNode job = json("get", "job", "doomed", "-n", "fail", "-o", "json");
        assertThat(job.path("status").path("failed").asInt()).isEqualTo(2);
        assertThat(conditionTypes(job)).containsExactly("FailureTarget", "Failed");
        assertThat(job.path("status").path("conditions").get(1).path("reason").asText()).isEqualTo("BackoffLimitExceeded");
        assertThat(json("get", "pods", "-n", "fail", "-o", "json").path("items")).hasSize(2);
        assertThat(events("fail", "doomed")).contains("BackoffLimitExceeded: Job has reached the specified backoff limit");
    }

    @Test
    void aJobPastItsDeadlineLosesItsPodsAndAFinishedJobGoesAfterItsTtl() throws Exception {
        kubectl.run("create", "namespace", "deadline").ok();
        apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: slow, namespace: deadline}
                spec:
                  activeDeadlineSeconds: 2
                  ttlSecondsAfterFinished: 3
                  template:
                    metadata: {annotations: {capstan.io/simulated-runtime: 10m}}
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox}]
                """);

        kubectl.run("wait", "--for=condition=failed", "job/slow", "-n", "deadline", "--timeout=30s").ok();

        JsonNode job = json("get", "job", "slow", "-n", "deadline", "-o", "json");
        assertThat(job.path("status").path("conditions").get(1).path("reason").asText()).isEqualTo("DeadlineExceeded");
        assertThat(job.path("status").path("failed").asInt()).isEqualTo(1);
        assertThat(names("deadline", "pods")).isEmpty();
        assertThat(events("deadline", "slow")).contains("DeadlineExceeded: Job was active longer than specified deadline");

        Kubectl.Result gone = kubectl.run("wait", "--for=delete", "job/slow", "-n", "deadline", "--timeout=30s");
        assertThat(gone.exit()).as(gone.err()).isZero();
    }

    @Test
    void anIndexedJobsPodsCarryTheirIndexes() throws Exception {
        kubectl.run("create", "namespace", "indexed").ok();
        apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: idx, namespace: indexed}
                spec:
                  completions: 3
                  parallelism: 3
                  completionMode: Indexed
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox}]
                """);

        kubectl.run("wait", "--for=condition=complete", "job/idx", "-n", "indexed", "--timeout=45s").ok();

        JsonNode job = json("get", "job", "idx", "-n", "indexed", "-o", "json");
        assertThat(job.path("status").path("completedIndexes").asText()).isEqualTo("0-2");
        List<String> indexes = new ArrayList<>();
        for (JsonNode pod : json("get", "pods", "-n", "indexed", "-o", "json").path("items")) {
            String index = pod.path("metadata").path("annotations").path("batch.kubernetes.io/job-completion-index").asText();
            indexes.add(index);
            assertThat(pod.path("metadata").path("labels").path("batch.kubernetes.io/job-completion-index").asText()).isEqualTo(index);
            assertThat(pod.path("metadata").path("name").asText()).startsWith("idx-" + index + "-");
            assertThat(pod.path("spec").path("hostname").asText()).isEqualTo("idx-" + index);
            assertThat(pod.path("spec").path("containers").get(0).path("env").toString()).contains("JOB_COMPLETION_INDEX");
        }
        assertThat(indexes).containsExactlyInAnyOrder("0", "1", "2");
    }

    @Test
    void aCronJobFiresOnScheduleKeepsItsHistoryAndTakesItsJobsWhenDeleted() throws Exception {
        kubectl.run("create", "namespace", "cron").ok();
        apply("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick, namespace: cron}
                spec:
                  schedule: "* * * * *"
                  successfulJobsHistoryLimit: 1
                  jobTemplate:
                    metadata: {labels: {app: tick}}
                    spec:
                      template:
                        metadata: {annotations: {capstan.io/simulated-runtime: 300ms}}
                        spec:
                          restartPolicy: Never
                          containers: [{name: c, image: busybox}]
                """);
        // Two Jobs made by hand from the CronJob finish at once: only the newest stays in the history.
        kubectl.run("create", "job", "manual-1", "--from=cronjob/tick", "-n", "cron").ok();
        kubectl.run("wait", "--for=condition=complete", "job/manual-1", "-n", "cron", "--timeout=30s").ok();
        kubectl.run("create", "job", "manual-2", "--from=cronjob/tick", "-n", "cron").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> names("cron", "jobs").equals(List.of("job.batch/manual-2")));

        // The schedule fires within the minute: a Job named after the scheduled minute, which replaces manual-2 in the history.
        await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1))
                .until(() -> names("cron", "jobs").stream().anyMatch(n -> n.matches("job.batch/tick-\\d+")));
        String scheduled = names("cron", "jobs").stream().filter(n -> n.startsWith("job.batch/tick-")).findFirst().orElseThrow()
                .substring("job.batch/".length());
        JsonNode job = json("get", "job", scheduled, "-n", "cron", "-o", "json");
        long minutes = Long.parseLong(scheduled.substring("tick-".length()));
        assertThat(job.path("metadata").path("annotations").path("batch.kubernetes.io/cronjob-scheduled-timestamp").asText())
                .isEqualTo(java.time.Instant.ofEpochSecond(minutes * 60).toString());
        assertThat(job.path("metadata").path("labels").path("app").asText()).isEqualTo("tick");
        await().atMost(Duration.ofSeconds(30)).until(() -> names("cron", "jobs").equals(List.of("job.batch/" + scheduled)));
        JsonNode cronJob = json("get", "cronjob", "tick", "-n", "cron", "-o", "json");
        assertThat(cronJob.path("status").path("lastScheduleTime").asText()).isEqualTo(java.time.Instant.ofEpochSecond(minutes * 60).toString());
        assertThat(cronJob.path("status").path("lastSuccessfulTime").isTextual()).isTrue();
        assertThat(events("cron", "tick")).contains("SuccessfulCreate: Created job " + scheduled, "SuccessfulDelete: Deleted job manual-1",
                "SawCompletedJob: Saw completed job: " + scheduled + ", condition: Complete");

        kubectl.run("delete", "cronjob", "tick", "-n", "cron").ok();

        await().atMost(Duration.ofSeconds(20)).until(() -> names("cron", "cronjobs,jobs,pods").isEmpty());
    }

    @Test
    void kubectlsGeneratorsCreateJobsAndCronJobs() throws Exception {
        kubectl.run("create", "namespace", "gen").ok();

        kubectl.run("create", "job", "once", "--image=busybox", "-n", "gen").ok();
        kubectl.run("create", "cronjob", "yearly", "--image=busybox", "--schedule=0 0 1 1 *", "-n", "gen").ok();

        kubectl.run("wait", "--for=condition=complete", "job/once", "-n", "gen", "--timeout=30s").ok();
        JsonNode cronJob = json("get", "cronjob", "yearly", "-n", "gen", "-o", "json");
        assertThat(cronJob.path("spec").path("schedule").asText()).isEqualTo("0 0 1 1 *");
        assertThat(cronJob.path("spec").path("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(names("gen", "jobs")).containsExactly("job.batch/once");
    }

    @Test
    void aCronJobInAnUnknownTimeZoneIsInvalid() throws Exception {
        Kubectl.Result refused = kubectl.runWithInput("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: mars, namespace: default}
                spec:
                  schedule: "0 9 * * *"
                  timeZone: Mars/Olympus
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                          containers: [{name: c, image: busybox}]
                """, "apply", "-f", "-");

        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("The CronJob \"mars\" is invalid: spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
    }

    static List<String> conditionTypes(JsonNode job) {
        List<String> types = new ArrayList<>();
        job.path("status").path("conditions").forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    /** "reason: message" of each event about the object. */
    static List<String> events(String ns, String name) throws Exception {
        List<String> out = new ArrayList<>();
        json("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + name, "-o", "json").path("items")
                .forEach(e -> out.add(e.path("reason").asText() + ": " + e.path("message").asText()));
        return out;
    }

    static void apply(String yaml) throws Exception {
        kubectl.runWithInput(yaml, "apply", "-f", "-").ok();
    }

    static List<String> names(String ns, String kinds) throws Exception {
        String out = kubectl.run("get", kinds, "-n", ns, "-o", "name").ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
