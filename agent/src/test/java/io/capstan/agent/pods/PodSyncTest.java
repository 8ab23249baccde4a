package io.capstan.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.FakePodObjects;
import io.capstan.agent.env.EnvResolver;
import io.capstan.agent.probes.Prober;
import io.capstan.agent.volumes.FakeMounter;
import io.capstan.agent.volumes.ResolvConf;
import io.capstan.agent.volumes.VolumeManager;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSyncTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock("2026-11-25T10:00:00Z");
    private final FakeApi api = new FakeApi();
    private FakeRuntime runtime;
    private FakeImages images;
    private PodSync sync;

    @BeforeEach
    void setUp() {
        runtime = new FakeRuntime(clock);
        images = new FakeImages(dir.resolve("roots"));
        images.offer("reg.local/busybox:1", "", "sh");
        sync = new PodSync(api, runtime, images, PodNetwork.LOOPBACK_ONLY, new PodDirectories(dir), new EventRecorder(api, "kubelet", clock),
                clock, "10.0.0.5", services());
    }

    /** Real env, volume and DNS logic over fakes; probes that never get scheduled. */
    private PodServices services() {
        FakePodObjects objects = new FakePodObjects();
        java.util.function.Supplier<java.util.Map<String, io.fabric8.kubernetes.api.model.Quantity>> allocatable =
                () -> java.util.Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("2"));
        return new PodServices(new EnvResolver(objects, allocatable),
                new VolumeManager(dir.resolve("pods"), objects, (ns, sa, aud, exp, pod, uid) -> "token", new FakeMounter(), allocatable),
                new ResolvConf(java.util.List.of(), "cluster.local", "nameserver 192.0.2.53\n"),
                new PodProbes(new Prober((id, command, timeout) -> {
                    runtime.calls.add("exec " + id + " " + String.join(" ", command));
                    return new io.capstan.agent.probes.ExecRunner.ExecResult(command.contains("fail") ? 1 : 0, "", false);
                }, "v1.32.0"),
                        (task, delay) -> () -> { }, clock),
                key -> { });
    }

    private ObjectNode pod(String restartPolicy, String... containers) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "p").put("namespace", "default").put("uid", "0123456789abcdef");
        ObjectNode spec = pod.putObject("spec").put("restartPolicy", restartPolicy).put("nodeName", "n1");
        for (String c : containers) {
            spec.withArray("containers").addObject().put("name", c).put("image", "reg.local/busybox:1");
        }
        pod.putObject("status").put("phase", "Pending").putArray("conditions").addObject().put("type", "PodScheduled").put("status", "True");
        return api.seed(Kinds.PODS, pod);
    }

    private ObjectNode pass() {
        sync.sync(api.get(Kinds.PODS, "default", "p"));
        return api.get(Kinds.PODS, "default", "p");
    }

    private static JsonNode container(JsonNode pod, int i) {
        return pod.path("status").path("containerStatuses").path(i);
    }

    private static String condition(JsonNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    @Test
    void aNewPodRunsItsContainersAndIsReady() {
        pod("Always", "web", "side");
        ObjectNode pod = pass();
        assertThat(runtime.calls).contains("sandbox 0123456789abcdef", "start 0123456789abc-web-0", "start 0123456789abc-side-0");
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(container(pod, 0).path("state").has("running")).isTrue();
        assertThat(container(pod, 0).path("ready").asBoolean()).isTrue();
        assertThat(condition(pod, "Ready")).isEqualTo("True");
        assertThat(condition(pod, "PodScheduled")).isEqualTo("True");
        assertThat(pod.path("status").path("hostIP").asText()).isEqualTo("10.0.0.5");
        assertThat(images.pulls).containsExactly("reg.local/busybox:1");
    }

    @Test
    void aContainerThatExitsZeroUnderNeverCompletesThePod() {
        pod("Never", "job");
        pass();
        runtime.exit(runtime.latest("job"), 0, null);
        ObjectNode pod = pass();
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Succeeded");
        assertThat(container(pod, 0).path("state").path("terminated").path("reason").asText()).isEqualTo("Completed");
        assertThat(condition(pod, "Ready")).isEqualTo("False");
    }

    @Test
    void aFailedContainerUnderNeverFailsThePodAndAnOomKillSaysSo() {
        pod("Never", "hog");
        pass();
        runtime.exit(runtime.latest("hog"), 137, "OOMKilled");
        ObjectNode pod = pass();
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Failed");
        assertThat(container(pod, 0).path("state").path("terminated").path("reason").asText()).isEqualTo("OOMKilled");
        assertThat(container(pod, 0).path("state").path("terminated").path("exitCode").asInt()).isEqualTo(137);
    }

    @Test
    void crashingContainersRestartAtOnceThenBackOffTenSecondsThenTwenty() {
        pod("Always", "crash");
        pass();
        runtime.exit(runtime.latest("crash"), 1, null);
        ObjectNode pod = pass();
        assertThat(container(pod, 0).path("restartCount").asInt()).isEqualTo(1);
        assertThat(container(pod, 0).path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
        assertThat(container(pod, 0).path("state").has("running")).isTrue();

        runtime.exit(runtime.latest("crash"), 1, null);
        pod = pass();
        assertThat(container(pod, 0).path("state").path("waiting").path("reason").asText()).isEqualTo("CrashLoopBackOff");
        assertThat(container(pod, 0).path("state").path("waiting").path("message").asText())
                .isEqualTo("back-off 10s restarting failed container=crash pod=p_default(0123456789abcdef)");
        assertThat(container(pod, 0).path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");

        clock.advance(Duration.ofSeconds(9));
        assertThat(container(pass(), 0).path("restartCount").asInt()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        pod = pass();
        assertThat(container(pod, 0).path("restartCount").asInt()).isEqualTo(2);
        assertThat(container(pod, 0).path("state").has("running")).isTrue();

        runtime.exit(runtime.latest("crash"), 1, null);
        pod = pass();
        assertThat(container(pod, 0).path("state").path("waiting").path("message").asText()).startsWith("back-off 20s");
        // the attempt before the previous one is gone; the previous stays for --previous
        assertThat(runtime.containers()).hasSize(2);
    }

    @Test
    void onFailureDoesNotRestartASuccess() {
        pod("OnFailure", "task");
        pass();
        runtime.exit(runtime.latest("task"), 0, null);
        assertThat(pass().path("status").path("phase").asText()).isEqualTo("Succeeded");
        assertThat(runtime.containers()).hasSize(1);
    }

    @Test
    void initContainersRunInOrderBeforeTheAppContainers() {
        ObjectNode pod = pod("Always", "app");
        ObjectNode spec = (ObjectNode) pod.path("spec");
        spec.withArray("initContainers").addObject().put("name", "init1").put("image", "reg.local/busybox:1");
        spec.withArray("initContainers").addObject().put("name", "init2").put("image", "reg.local/busybox:1");
        api.seed(Kinds.PODS, pod);
        pod = pass();
        assertThat(runtime.containers()).extracting(c -> c.name()).containsExactly("init1");
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(condition(pod, "Initialized")).isEqualTo("False");
        assertThat(container(pod, 0).path("state").path("waiting").path("reason").asText()).isEqualTo("PodInitializing");

        runtime.exit(runtime.latest("init1"), 0, null);
        pass();
        assertThat(runtime.containers()).extracting(c -> c.name()).containsExactly("init1", "init2");
        runtime.exit(runtime.latest("init2"), 0, null);
        pod = pass();
        assertThat(runtime.containers()).extracting(c -> c.name()).containsExactly("init1", "init2", "app");
        assertThat(condition(pod, "Initialized")).isEqualTo("True");
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(pod.path("status").path("initContainerStatuses").path(1).path("state").path("terminated").path("reason").asText())
                .isEqualTo("Completed");
    }

    @Test
    void aFailingInitContainerUnderNeverFailsThePod() {
        ObjectNode pod = pod("Never", "app");
        ((ObjectNode) pod.path("spec")).withArray("initContainers").addObject().put("name", "init").put("image", "reg.local/busybox:1");
        api.seed(Kinds.PODS, pod);
        pass();
        runtime.exit(runtime.latest("init"), 2, null);
        assertThat(pass().path("status").path("phase").asText()).isEqualTo("Failed");
        assertThat(runtime.containers()).extracting(c -> c.name()).containsExactly("init");
    }

    @Test
    void anImageThatCannotBePulledWaitsInErrImagePullThenBacksOff() {
        ObjectNode pod = pod("Always", "web");
        ((ObjectNode) pod.path("spec").path("containers").path(0)).put("image", "reg.local/nope:1");
        api.seed(Kinds.PODS, pod);
        pod = pass();
        JsonNode waiting = container(pod, 0).path("state").path("waiting");
        assertThat(waiting.path("reason").asText()).isEqualTo("ErrImagePull");
        assertThat(waiting.path("message").asText()).contains("Failed to pull image \"reg.local/nope:1\"").contains("not found");
        assertThat(pod.path("status").path("phase").asText()).isEqualTo("Pending");
        pod = pass();
        assertThat(container(pod, 0).path("state").path("waiting").path("reason").asText()).isEqualTo("ImagePullBackOff");
        assertThat(images.pulls).hasSize(1);
    }

    @Test
    void pullPolicyNeverWithoutTheImageSaysSo() {
        ObjectNode pod = pod("Always", "web");
        ((ObjectNode) pod.path("spec").path("containers").path(0)).put("imagePullPolicy", "Never");
        api.seed(Kinds.PODS, pod);
        JsonNode waiting = container(pass(), 0).path("state").path("waiting");
        assertThat(waiting.path("reason").asText()).isEqualTo("ErrImageNeverPull");
        assertThat(waiting.path("message").asText()).isEqualTo("Container image \"reg.local/busybox:1\" is not present with pull policy of Never");
    }

    @Test
    void runAsNonRootRefusesAnImageThatRunsAsRoot() {
        ObjectNode pod = pod("Always", "web");
        ((ObjectNode) pod.path("spec")).putObject("securityContext").put("runAsNonRoot", true);
        api.seed(Kinds.PODS, pod);
        JsonNode waiting = container(pass(), 0).path("state").path("waiting");
        assertThat(waiting.path("reason").asText()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.path("message").asText()).startsWith("container has runAsNonRoot and image will run as root");
    }

    @Test
    void commandEnvAndLimitsReachTheRuntime() {
        ObjectNode pod = pod("Always", "web");
        ObjectNode c = (ObjectNode) pod.path("spec").path("containers").path(0);
        c.putArray("command").add("sh").add("-c").add("echo $(GREETING)");
        c.putArray("env").addObject().put("name", "GREETING").put("value", "hello");
        c.putObject("resources").putObject("limits").put("cpu", "500m").put("memory", "64Mi");
        ((ObjectNode) pod.path("spec")).putObject("securityContext").put("runAsUser", 65534);
        api.seed(Kinds.PODS, pod);
        pass();
        var spec = runtime.specs.get("0123456789abc-web-0");
        assertThat(spec.args()).containsExactly("sh", "-c", "echo hello");
        assertThat(spec.env()).contains("GREETING=hello", "HOSTNAME=p");
        assertThat(spec.user().uid()).isEqualTo(65534);
        assertThat(spec.resources().cpuQuotaMicros()).isEqualTo(50_000);
        assertThat(spec.resources().memoryLimitBytes()).isEqualTo(64L << 20);
        assertThat(spec.logPath()).isEqualTo(dir.resolve("logs/default_p_0123456789abcdef/web/0.log"));
    }

    @Test
    void aDeletedPodIsStoppedWithinItsGraceRemovedAndDeleted() {
        ObjectNode pod = pod("Always", "web");
        pass();
        pod = api.get(Kinds.PODS, "default", "p");
        ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-11-25T10:00:05Z").put("deletionGracePeriodSeconds", 7);
        api.seed(Kinds.PODS, pod);
        sync.sync(api.get(Kinds.PODS, "default", "p"));
        assertThat(runtime.calls).contains("stop 0123456789abc-web-0 7s", "remove 0123456789abc-web-0", "remove sandbox 0123456789abcdef");
        assertThat(api.find(Kinds.PODS, "default", "p")).isEmpty();
    }

    @Test
    void anUnchangedPodCostsNoStatusWrite() {
        pod("Always", "web");
        pass();
        int writes = api.actions().size();
        pass();
        assertThat(api.actions().stream().skip(writes).filter(a -> a.startsWith("patch pods"))).isEmpty();
    }

    @Test
    void aSandboxThatCannotBeNetworkedIsReportedAndRetried() {
        sync = new PodSync(api, runtime, images, new PodNetwork() {
            @Override
            public String setUp(io.capstan.runtime.SandboxInfo sandbox, JsonNode pod) {
                throw new IllegalStateException("plugin type=\"bridge\" failed (add): no bridge");
            }

            @Override
            public void tearDown(io.capstan.runtime.SandboxInfo sandbox, JsonNode pod) {}
        }, new PodDirectories(dir), new EventRecorder(api, "kubelet", clock), clock, "10.0.0.5", services());
        pod("Always", "web");
        var result = sync.sync(api.get(Kinds.PODS, "default", "p"));
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(runtime.containers()).isEmpty();
        assertThat(api.listAll(Kinds.EVENTS, "default", java.util.Map.of()).items())
                .anySatisfy(e -> assertThat(e.path("message").asText()).isEqualTo("Failed to create pod sandbox: plugin type=\"bridge\" failed (add): no bridge"));
    }

    @Test
    void preStopRunsBeforeTheContainerIsStopped() {
        ObjectNode pod = pod("Always", "web");
        ((ObjectNode) pod.path("spec").path("containers").path(0)).putObject("lifecycle").putObject("preStop").putObject("exec")
                .putArray("command").add("sh").add("-c").add("echo bye");
        api.seed(Kinds.PODS, pod);
        pass();
        pod = api.get(Kinds.PODS, "default", "p");
        ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-11-25T10:00:05Z").put("deletionGracePeriodSeconds", 30);
        api.seed(Kinds.PODS, pod);
        sync.sync(api.get(Kinds.PODS, "default", "p"));
        assertThat(runtime.calls).containsSubsequence("exec 0123456789abc-web-0 sh -c echo bye", "stop 0123456789abc-web-0 30s");
    }

    @Test
    void aFailingPostStartHookKillsTheContainer() {
        ObjectNode pod = pod("Always", "web");
        ((ObjectNode) pod.path("spec").path("containers").path(0)).putObject("lifecycle").putObject("postStart").putObject("exec")
                .putArray("command").add("fail");
        api.seed(Kinds.PODS, pod);
        pass();
        assertThat(runtime.calls).containsSubsequence("start 0123456789abc-web-0", "exec 0123456789abc-web-0 fail", "stop 0123456789abc-web-0 30s");
        assertThat(api.listAll(Kinds.EVENTS, "default", java.util.Map.of()).items())
                .anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("FailedPostStartHook"));
    }
}
