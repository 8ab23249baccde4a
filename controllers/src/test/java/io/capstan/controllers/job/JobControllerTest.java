package io.capstan.controllers.job;

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
import io.capstan.controllers.Expectations;
import io.capstan.controllers.OwnerRefs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache jobs = new FakeCache();
    final FakeCache pods = new FakeCache();
    final TestClock clock = new TestClock("2026-11-25T08:00:00Z");
    final JobController controller = new JobController(api, jobs, pods, new EventRecorder(api, "job-controller", clock),
            new Expectations(), clock);

    @Test
    void startsParallelismPodsCarryingTheTrackingFinalizer() throws Exception {
        seedJob("{\"completions\":5,\"parallelism\":2}");

        controller.reconcile("default/work");

        List<JsonNode> created = podsInApi();
        assertThat(created).hasSize(2);
        for (JsonNode pod : created) {
            assertThat(pod.path("metadata").path("generateName").asText()).isEqualTo("work-");
            assertThat(pod.path("metadata").path("finalizers").toString()).contains("batch.kubernetes.io/job-tracking");
            assertThat(pod.path("metadata").path("labels").path("batch.kubernetes.io/job-name").asText()).isEqualTo("work");
            assertThat(OwnerRefs.controllerOf(pod).path("kind").asText()).isEqualTo("Job");
        }
        assertThat(events()).filteredOn(e -> e.startsWith("SuccessfulCreate: Created pod: work-")).hasSize(2);
        assertThat(job().path("status").path("active").asInt()).isEqualTo(2);
        assertThat(job().path("status").path("startTime").asText()).isEqualTo("2026-11-25T08:00:00Z");
    }

    @Test
    void succeededPodsAreCountedThroughUncountedPodsThenTheJobCompletes() throws Exception {
        ObjectNode job = seedJob("{\"completions\":2,\"parallelism\":2}");
        pod(job, "a", "Succeeded", "2026-11-25T07:59:00Z");
        pod(job, "b", "Succeeded", "2026-11-25T07:59:30Z");
        refresh();

        controller.reconcile("default/work");

        JsonNode status = job().path("status");
        assertThat(status.path("succeeded").asInt()).isEqualTo(2);
        assertThat(status.path("uncountedTerminatedPods").isEmpty()).isTrue();
        assertThat(conditions(job())).containsExactly("SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached");
        assertThat(status.path("completionTime").asText()).isEqualTo("2026-11-25T08:00:00Z");
        assertThat(podsInApi()).allSatisfy(p -> assertThat(JobPods.tracked(p)).isFalse());
        assertThat(events()).contains("Completed: Job completed");
        // The uids were written to status before any finalizer went.
        int firstStatus = indexOf("update jobs/status default/work");
        assertThat(firstStatus).isLessThan(indexOf("patch pods default/a"));
    }

    @Test
    void failuresBeyondTheBackoffLimitFailTheJob() throws Exception {
        ObjectNode job = seedJob("{\"backoffLimit\":1}");
        pod(job, "a", "Failed", "2026-11-25T07:59:00Z");
        pod(job, "b", "Failed", "2026-11-25T07:59:30Z");
        refresh();

        controller.reconcile("default/work");

        assertThat(job().path("status").path("failed").asInt()).isEqualTo(2);
        assertThat(conditions(job())).containsExactly("FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded");
        assertThat(events()).contains("BackoffLimitExceeded: Job has reached the specified backoff limit");
        assertThat(api.actions()).noneMatch(a -> a.startsWith("create pods"));
    }

    @Test
    void aFailedPodIsReplacedAfterAnExponentialBackoff() throws Exception {
        ObjectNode job = seedJob("{\"backoffLimit\":6}");
        pod(job, "a", "Failed", "2026-11-25T07:59:58Z");
        refresh();

        Result waiting = controller.reconcile("default/work");

        assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(8));
        assertThat(api.actions()).noneMatch(a -> a.startsWith("create pods"));

        pod(job, "b", "Failed", "2026-11-25T08:00:00Z");
        refresh();
        clock.set("2026-11-25T08:00:15Z");
        Result second = controller.reconcile("default/work");

        assertThat(second.requeueAfter()).as("two failures: 20 s after the last").isEqualTo(Duration.ofSeconds(5));

        clock.set("2026-11-25T08:00:20Z");
        refresh();
        controller.reconcile("default/work");

        assertThat(api.actions()).filteredOn(a -> a.startsWith("create pods")).hasSize(1);
        assertThat(JobPods.remainingBackoff(job, java.util.Collections.nCopies(9, failedAt("2026-11-25T08:00:00Z")), clock.instant()))
                .as("capped at six minutes").isEqualTo(Duration.ofMinutes(6).minusSeconds(20));
    }

    @Test
    void passingTheActiveDeadlineDeletesRunningPodsAndFailsTheJob() throws Exception {
        ObjectNode job = seedJob("{\"activeDeadlineSeconds\":30}");
        Json.with(job, "status").put("startTime", "2026-11-25T07:59:00Z");
        pod(job, "a", "Running", null);
        refresh();

        controller.reconcile("default/work");

        assertThat(api.actions()).contains("delete pods default/a null");
        assertThat(conditions(job())).containsExactly("FailureTarget/DeadlineExceeded");

        refresh();
        controller.reconcile("default/work");

        assertThat(conditions(job())).containsExactly("FailureTarget/DeadlineExceeded", "Failed/DeadlineExceeded");
        assertThat(events()).contains("DeadlineExceeded: Job was active longer than specified deadline");
    }

    @Test
    void beforeTheDeadlineTheJobIsLookedAtAgainWhenItPasses() throws Exception {
        ObjectNode job = seedJob("{\"activeDeadlineSeconds\":30}");
        Json.with(job, "status").put("startTime", "2026-11-25T07:59:50Z");
        pod(job, "a", "Running", null);
        refresh();

        Result result = controller.reconcile("default/work");

        assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void anIndexedJobGivesEachPodItsIndex() throws Exception {
        ObjectNode job = seedJob("{\"completions\":3,\"parallelism\":2,\"completionMode\":\"Indexed\"}");
        ObjectNode done = pod(job, "w0", "Succeeded", "2026-11-25T07:59:00Z");
        Json.with(done, "metadata", "annotations").put(JobPods.COMPLETION_INDEX, "0");
        refresh();

        controller.reconcile("default/work");

        List<JsonNode> created = podsInApi().stream().filter(p -> !Json.text(p, "metadata", "name").equals("w0")).toList();
        assertThat(created).extracting(p -> p.path("metadata").path("annotations").path(JobPods.COMPLETION_INDEX).asText())
                .containsExactlyInAnyOrder("1", "2");
        for (JsonNode pod : created) {
            String index = pod.path("metadata").path("labels").path(JobPods.COMPLETION_INDEX).asText();
            assertThat(pod.path("metadata").path("generateName").asText()).isEqualTo("work-" + index + "-");
            assertThat(pod.path("spec").path("hostname").asText()).isEqualTo("work-" + index);
            assertThat(pod.path("spec").path("containers").get(0).path("env").get(0).path("valueFrom").path("fieldRef")
                    .path("fieldPath").asText()).isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        }
        assertThat(job().path("status").path("completedIndexes").asText()).isEqualTo("0");
    }

    @Test
    void suspendingDeletesActivePodsWithoutCountingThemAsFailures() throws Exception {
        ObjectNode job = seedJob("{\"suspend\":true}");
        pod(job, "a", "Running", null);
        refresh();

        controller.reconcile("default/work");

        assertThat(api.actions()).contains("delete pods default/a null");
        assertThat(conditions(job())).containsExactly("Suspended/JobSuspended");
        assertThat(job().path("status").path("failed").asInt(0)).isZero();
        assertThat(events()).contains("Suspended: Job suspended");
    }

    @Test
    void podsOfAJobThatIsGoneLoseTheirFinalizer() throws Exception {
        ObjectNode job = seedJob("{}");
        pod(job, "a", "Running", null);
        api.delete(Kinds.JOBS, "default", "work", null, null);
        refresh();

        controller.reconcile("default/work");

        assertThat(JobPods.tracked(api.get(Kinds.PODS, "default", "a"))).isFalse();
    }

    @Test
    void completedIndexesAreWrittenAsIntervals() {
        java.util.BitSet set = CompletedIndexes.parse("0-2,5,7-8", 8);
        assertThat(set.cardinality()).isEqualTo(5);
        assertThat(CompletedIndexes.format(set)).isEqualTo("0-2,5,7");
    }

    private ObjectNode seedJob(String spec) {
        ObjectNode job = Json.parseObject(("{\"metadata\":{\"name\":\"work\",\"namespace\":\"default\"},\"spec\":" + spec + "}").getBytes());
        ObjectNode s = Json.with(job, "spec");
        if (!s.has("parallelism")) {
            s.put("parallelism", 1);
        }
        if (!s.has("completions") && s.path("parallelism").asInt() == 1) {
            s.put("completions", 1);
        }
        if (!s.has("backoffLimit")) {
            s.put("backoffLimit", 6);
        }
        Json.with(s, "template", "metadata", "labels").put("batch.kubernetes.io/job-name", "work");
        Json.with(s, "template", "spec").put("restartPolicy", "Never").putArray("containers").addObject().put("name", "c").put("image", "busybox");
        api.seed(Kinds.JOBS, job);
        refresh();
        return job;
    }

    /** A pod of the Job in phase, with the finalizer, finished at the given time (if any). */
    private ObjectNode pod(ObjectNode job, String name, String phase, String finishedAt) {
        ObjectNode pod = Json.object();
        ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", "default")
                .put("creationTimestamp", "2026-11-25T07:58:00Z");
        meta.putArray("ownerReferences").add(OwnerRefs.controllerRef(job));
        meta.putArray("finalizers").add(JobPods.TRACKING_FINALIZER);
        ObjectNode status = pod.putObject("status").put("phase", phase);
        if (finishedAt != null) {
            status.putArray("containerStatuses").addObject().putObject("state").putObject("terminated").put("finishedAt", finishedAt);
        }
        return api.seed(Kinds.PODS, pod);
    }

    private static ObjectNode failedAt(String at) {
        ObjectNode pod = Json.object();
        pod.putObject("status").put("phase", "Failed").putArray("containerStatuses").addObject().putObject("state")
                .putObject("terminated").put("finishedAt", at);
        return pod;
    }

    /** Makes the caches show what the API holds, as the informers would. */
    private void refresh() {
        jobs.list().forEach(jobs::remove);
        pods.list().forEach(pods::remove);
        api.listAll(Kinds.JOBS, "default", java.util.Map.of()).items().forEach(jobs::put);
        api.listAll(Kinds.PODS, "default", java.util.Map.of()).items().forEach(pods::put);
    }

    private JsonNode job() {
        return api.get(Kinds.JOBS, "default", "work");
    }

    private List<JsonNode> podsInApi() {
        return new ArrayList<>(api.listAll(Kinds.PODS, "default", java.util.Map.of()).items());
    }

    private List<String> events() {
        return api.listAll(Kinds.EVENTS, "default", java.util.Map.of()).items().stream()
                .map(e -> e.path("reason").asText() + ": " + e.path("message").asText()).toList();
    }

    private static List<String> conditions(JsonNode job) {
        List<String> out = new ArrayList<>();
        job.path("status").path("conditions").forEach(c -> out.add(c.path("type").asText() + "/" + c.path("reason").asText()));
        return out;
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < api.actions().size(); i++) {
            if (api.actions().get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
