package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments on simulated nodes, driven by the real kubectl: rollouts, history, undo, pause and
 * resume, restart, Recreate, the progress deadline and Capstan's opt-in automatic rollback.
 */
class DeploymentRolloutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "3");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        await().atMost(WAIT).until(() -> kubectl.run("get", "nodes", "-o", "name").out().split("\n").length == 3);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRollingUpdateKeepsHistoryAndUndoReturnsToAnEarlierRevision() throws Exception {
        kubectl.run("create", "namespace", "roll").ok();
        kubectl.run("create", "deployment", "web", "-n", "roll", "--image=busybox:1", "--replicas=4").ok();
        status("roll", "web");
        JsonNode d = json("get", "deployment", "web", "-n", "roll", "-o", "json");
        assertThat(d.path("status").path("availableReplicas").asInt()).isEqualTo(4);
        assertThat(conditionReason(d, "Progressing")).isEqualTo("NewReplicaSetAvailable");
        assertThat(conditionReason(d, "Available")).isEqualTo("MinimumReplicasAvailable");

        kubectl.run("set", "image", "deployment/web", "-n", "roll", "busybox=busybox:2").ok();
        status("roll", "web");
        kubectl.run("set", "image", "deployment/web", "-n", "roll", "busybox=busybox:3").ok();
        status("roll", "web");
        assertThat(kubectl.run("rollout", "history", "deployment/web", "-n", "roll").ok().out())
                .containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s");
        assertThat(images("roll", "app=web")).containsOnly("busybox:3");

        kubectl.run("rollout", "undo", "deployment/web", "-n", "roll", "--to-revision=1").ok();
        status("roll", "web");
        assertThat(images("roll", "app=web")).containsOnly("busybox:1");
        String history = kubectl.run("rollout", "history", "deployment/web", "-n", "roll").ok().out();
        assertThat(history).containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").containsPattern("(?m)^4\\s")
                .doesNotContainPattern("(?m)^1\\s");
        assertThat(kubectl.run("get", "replicasets", "-n", "roll", "-o", "name").ok().out().trim().split("\n")).hasSize(3);
        assertThat(kubectl.run("get", "events", "-n", "roll", "--field-selector", "reason=ScalingReplicaSet").ok().out())
                .contains("Scaled up replica set web-", "Scaled down replica set web-");
    }

    @Test
    void pauseHoldsARolloutAndResumeFinishesIt() throws Exception {
        kubectl.run("create", "namespace", "pause").ok();
        kubectl.run("create", "deployment", "web", "-n", "pause", "--image=busybox:1", "--replicas=3").ok();
        status("pause", "web");
        kubectl.run("rollout", "pause", "deployment/web", "-n", "pause").ok();
        kubectl.run("set", "image", "deployment/web", "-n", "pause", "busybox=busybox:2").ok();

        await().atMost(WAIT).until(() -> "DeploymentPaused".equals(conditionReason(
                json("get", "deployment", "web", "-n", "pause", "-o", "json"), "Progressing")));
        assertThat(images("pause", "app=web")).containsOnly("busybox:1");
        assertThat(kubectl.run("get", "replicasets", "-n", "pause", "-o", "name").ok().out().trim().split("\n")).hasSize(1);

        kubectl.run("rollout", "resume", "deployment/web", "-n", "pause").ok();
        status("pause", "web");
        assertThat(images("pause", "app=web")).containsOnly("busybox:2");
    }

    @Test
    void restartReplacesEveryPod() throws Exception {
        kubectl.run("create", "namespace", "restart").ok();
        kubectl.run("create", "deployment", "web", "-n", "restart", "--image=busybox:1", "--replicas=2").ok();
        status("restart", "web");
        List<String> before = podNames("restart");

        kubectl.run("rollout", "restart", "deployment/web", "-n", "restart").ok();
        status("restart", "web");

        await().atMost(WAIT).until(() -> podNames("restart").size() == 2);
        assertThat(podNames("restart")).doesNotContainAnyElementsOf(before);
    }

    @Test
    void recreateStopsEveryOldPodBeforeStartingNewOnes() throws Exception {
        kubectl.run("create", "namespace", "recreate").ok();
        kubectl.runWithInput(deployment("recreate", "web", "busybox:1", 3, "Recreate", "", 600), "apply", "-f", "-").ok();
        status("recreate", "web");
        kubectl.run("set", "image", "deployment/web", "-n", "recreate", "c=busybox:2").ok();
        status("recreate", "web");
        assertThat(images("recreate", "app=web")).containsOnly("busybox:2");
        assertThat(kubectl.run("get", "events", "-n", "recreate", "--field-selector", "reason=ScalingReplicaSet").ok().out())
                .containsPattern("Scaled down replica set web-\\w+ from 3 to 0");
    }

    @Test
    void aRolloutThatCannotProgressMissesItsDeadline() throws Exception {
        kubectl.run("create", "namespace", "stuck").ok();
        kubectl.runWithInput(deployment("stuck", "web", "busybox:1", 2, "RollingUpdate", "", 5), "apply", "-f", "-").ok();
        status("stuck", "web");
        // A request no simulated node can meet: the new pods stay Pending.
        kubectl.run("set", "resources", "deployment/web", "-n", "stuck", "-c", "c", "--requests=cpu=100").ok();

        Kubectl.Result rollout = kubectl.run("rollout", "status", "deployment/web", "-n", "stuck", "--timeout=50s");
        assertThat(rollout.exit()).isNotZero();
        assertThat(rollout.err()).contains("deployment \"web\" exceeded its progress deadline");
        JsonNode d = json("get", "deployment", "web", "-n", "stuck", "-o", "json");
        assertThat(conditionReason(d, "Progressing")).isEqualTo("ProgressDeadlineExceeded");
        assertThat(images("stuck", "app=web")).contains("busybox:1");
    }

    @Test
    void withRollbackOnFailureAMissedDeadlineReturnsToTheLastAvailableRevision() throws Exception {
        kubectl.run("create", "namespace", "auto").ok();
        kubectl.runWithInput(deployment("auto", "web", "busybox:1", 2, "RollingUpdate", "capstan.io/rollback-on-failure: \"true\"", 5),
                "apply", "-f", "-").ok();
        status("auto", "web");
        kubectl.run("set", "resources", "deployment/web", "-n", "auto", "-c", "c", "--requests=cpu=100").ok();

        await().atMost(WAIT).until(() -> kubectl.run("get", "events", "-n", "auto", "--field-selector", "reason=DeploymentRollback")
                .out().contains("Rolled back deployment \"web\" to revision 1"));
        status("auto", "web");
        JsonNode d = json("get", "deployment", "web", "-n", "auto", "-o", "json");
        assertThat(d.path("spec").path("template").path("spec").path("containers").get(0).path("resources").path("requests").has("cpu"))
                .isFalse();
        assertThat(kubectl.run("rollout", "history", "deployment/web", "-n", "auto").ok().out())
                .containsPattern("(?m)^3\\s+automatic rollback to revision 1");
    }

    private static String deployment(String ns, String name, String image, int replicas, String strategy, String annotation,
                                     int deadline) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                  annotations: {%s}
                spec:
                  replicas: %d
                  progressDeadlineSeconds: %d
                  strategy: {type: %s}
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec: {containers: [{name: c, image: "%s"}]}
                """.formatted(name, ns, annotation, replicas, deadline, strategy, name, name, image);
    }

    private static void status(String ns, String name) throws Exception {
        Kubectl.Result r = kubectl.run("rollout", "status", "deployment/" + name, "-n", ns, "--timeout=50s");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    private static List<String> images(String ns, String selector) throws Exception {
        String out = kubectl.run("get", "pods", "-n", ns, "-l", selector, "--field-selector=status.phase=Running",
                "-o", "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}").ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static List<String> podNames(String ns) throws Exception {
        String out = kubectl.run("get", "pods", "-n", ns, "--field-selector=status.phase=Running", "-o",
                "jsonpath={range .items[?(@.metadata.deletionTimestamp)]}{end}{range .items[*]}{.metadata.name}{\"\\n\"}{end}").ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static String conditionReason(JsonNode d, String type) {
        for (JsonNode c : d.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("reason").asText();
            }
        }
        return null;
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
