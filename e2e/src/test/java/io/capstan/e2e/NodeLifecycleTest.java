package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes dying and being drained, on simulated nodes through the real kubectl: a stopped node goes
 * Unknown with the unreachable taint and its pods are replaced elsewhere; cordon keeps new pods
 * off a node; drain evicts through a PodDisruptionBudget one pod at a time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "3", "--default-unreachable-toleration", "5s");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aStoppedNodeGoesUnknownIsTaintedAndItsPodsAreReplacedElsewhere() throws Exception {
        replicaSet("loss", 4);
        String victim = nodeWithMostPods("loss");
        List<String> doomed = podsOn("loss", victim);

        Process sim = sim("stop-node", victim);
        assertThat(new String(sim.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("node/" + victim + " stopped");
        assertThat(sim.waitFor()).isZero();

        // Lease renewed every 10 s, 40 s of grace, a 5 s monitor period, then 5 s of toleration: at most ~60 s, more on a busy machine.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode node = json("get", "node", victim, "-o", "json");
            assertThat(condition(node, "Ready").path("status").asText()).isEqualTo("Unknown");
            assertThat(condition(node, "Ready").path("reason").asText()).isEqualTo("NodeStatusUnknown");
            assertThat(taints(node)).contains("node.kubernetes.io/unreachable:NoExecute");
            JsonNode pods = json("get", "pods", "-n", "loss", "-o", "json").path("items");
            int runningElsewhere = 0;
            for (JsonNode p : pods) {
                String name = p.path("metadata").path("name").asText();
                if (doomed.contains(name)) {
                    assertThat(p.path("metadata").path("deletionTimestamp").isTextual()).as("%s is Terminating", name).isTrue();
                } else if (!p.path("metadata").has("deletionTimestamp") && p.path("status").path("phase").asText().equals("Running")) {
                    assertThat(p.path("spec").path("nodeName").asText()).isNotEqualTo(victim);
                    runningElsewhere++;
                }
            }
            assertThat(runningElsewhere).isEqualTo(4);
        });
        assertThat(json("get", "events", "-n", "loss", "-o", "json").path("items").toString())
                .contains("\"reason\":\"TaintManagerEviction\"").contains("Marking for deletion Pod loss/" + doomed.getFirst());

        sim("start-node", victim).waitFor(30, TimeUnit.SECONDS);
        // Started again, the node reports Ready, loses its taints and finishes the deletions it missed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode node = json("get", "node", victim, "-o", "json");
            assertThat(condition(node, "Ready").path("status").asText()).isEqualTo("True");
            assertThat(taints(node)).noneMatch(t -> t.contains("unreachable"));
            assertThat(podsOn("loss", victim)).isEmpty();
        });
    }

    @Test
    @Order(2)
    void cordonKeepsNewPodsOffTheNode() throws Exception {
        assumeStrategicMergePatch();
        replicaSet("cordon", 2);
        kubectl.run("cordon", "sim-0").ok();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(taints(json("get", "node", "sim-0", "-o", "json"))).contains("node.kubernetes.io/unschedulable:NoSchedule"));
        List<String> before = podsOn("cordon", "sim-0");

        kubectl.run("scale", "replicaset", "web", "-n", "cordon", "--replicas=8").ok();

        await().atMost(Duration.ofSeconds(30)).until(() -> running("cordon") == 8);
        assertThat(podsOn("cordon", "sim-0")).isEqualTo(before);
        assertThat(json("get", "node", "sim-0", "-o", "json").path("spec").path("unschedulable").asBoolean()).isTrue();

        kubectl.run("uncordon", "sim-0").ok();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(taints(json("get", "node", "sim-0", "-o", "json"))).noneMatch(t -> t.contains("unschedulable")));
        kubectl.run("delete", "namespace", "cordon", "--wait=false").ok();
    }

    @Test
    @Order(3)
    void drainEvictsThroughADisruptionBudgetOnePodAtATime() throws Exception {
        assumeStrategicMergePatch();
        int replicas = 6;
        replicaSet("drain", replicas);
        kubectl.runWithInput("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web, namespace: drain}
                spec:
                  minAvailable: %d
                  selector: {matchLabels: {app: web}}
                """.formatted(replicas - 1), "apply", "-f", "-").ok();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                json("get", "pdb", "web", "-n", "drain", "-o", "json").path("status").path("disruptionsAllowed").asInt() == 1);
        String node = nodeWithMostPods("drain"); // six pods on three nodes: at least two here
        List<String> evicted = podsOn("drain", node);
        assertThat(evicted).hasSizeGreaterThanOrEqualTo(2);

        Kubectl.Result drain = kubectl.run("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=50s");

        assertThat(drain.exit()).as(drain.err() + drain.out()).isZero();
        String output = drain.out() + drain.err();
        for (String pod : evicted) {
            assertThat(output).contains("evicting pod drain/" + pod);
        }
        assertThat(output).contains("Cannot evict pod as it would violate the pod's disruption budget.")
                .contains("node/" + node + " drained");
        assertThat(podsOn("drain", node)).isEmpty();
        assertThat(running("drain")).isEqualTo(replicas);
        kubectl.run("uncordon", node).ok();
    }

    private static void replicaSet(String ns, int replicas) throws Exception {
        kubectl.run("create", "namespace", ns).ok();
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: web, namespace: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx}]
                """.formatted(ns, replicas), "apply", "-f", "-").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> running(ns) == replicas);
    }

    /** Pods Running, Ready and not being deleted. */
    private static int running(String ns) throws Exception {
        int n = 0;
        for (JsonNode p : json("get", "pods", "-n", ns, "-o", "json").path("items")) {
            if (!p.path("metadata").has("deletionTimestamp") && p.path("status").path("phase").asText().equals("Running")
                    && condition(p, "Ready").path("status").asText().equals("True")) {
                n++;
            }
        }
        return n;
    }

    private static List<String> podsOn(String ns, String node) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode p : json("get", "pods", "-n", ns, "--field-selector", "spec.nodeName=" + node, "-o", "json").path("items")) {
            names.add(p.path("metadata").path("name").asText());
        }
        return names;
    }

    private static String nodeWithMostPods(String ns) throws Exception {
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode p : json("get", "pods", "-n", ns, "-o", "json").path("items")) {
            count.merge(p.path("spec").path("nodeName").asText(), 1, Integer::sum);
        }
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** A node's taints as "key:effect". */
    private static List<String> taints(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.path("spec").path("taints").forEach(t -> out.add(t.path("key").asText() + ":" + t.path("effect").asText()));
        return out;
    }

    private static JsonNode condition(JsonNode object, String type) {
        for (JsonNode c : object.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return JSON.createObjectNode();
    }

    /** `capstan sim ...` from the built jar, against the test server's kubeconfig. */
    private static Process sim(String command, String node) throws Exception {
        return new ProcessBuilder(CapstanServer.javaBinary(), "-jar", System.getProperty("capstan.jar"), "sim", command, node,
                "--kubeconfig", server.kubeconfig().toString()).redirectErrorStream(true).start();
    }

    /** cordon and drain patch the Node with a strategic merge patch, which the branch with patches brings. */
    private static void assumeStrategicMergePatch() throws Exception {
        Kubectl.Result probe = kubectl.run("patch", "node", "sim-2", "--type=strategic", "-p", "{}");
        Assumptions.assumeTrue(probe.exit() == 0, "the server does not take strategic merge patches yet: " + probe.err());
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
