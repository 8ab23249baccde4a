package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's constraints on small simulated nodes (2 cpu each), driven by the real kubectl:
 * pod anti-affinity, topology spread over zone labels, PriorityClasses and preemption.
 */
class SchedulingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "3", "--simulated-node-cpu", "2");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        await().atMost(WAIT).until(() -> kubectl.run("get", "nodes", "-o", "name").out().split("\n").length == 3);
        kubectl.run("label", "node", "sim-0", "sim-1", "zone=a").ok();
        kubectl.run("label", "node", "sim-2", "zone=b").ok();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requiredAntiAffinityPutsOneReplicaOnEachNodeAndLeavesTheFourthPending() throws Exception {
        kubectl.run("create", "namespace", "anti").ok();
        kubectl.runWithInput(deployment("web", 4, """
                      affinity:
                        podAntiAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                          - labelSelector: {matchLabels: {app: web}}
                            topologyKey: kubernetes.io/hostname
                """), "apply", "-n", "anti", "-f", "-").ok();

        await().atMost(WAIT).until(() -> pods("anti", "app=web").stream().filter(p -> !node(p).isEmpty()).count() == 3);
        List<JsonNode> pods = pods("anti", "app=web");
        assertThat(pods.stream().map(SchedulingTest::node).filter(n -> !n.isEmpty())).containsExactlyInAnyOrder("sim-0", "sim-1", "sim-2");
        JsonNode pending = pods.stream().filter(p -> node(p).isEmpty()).findFirst().orElseThrow();
        String name = pending.path("metadata").path("name").asText();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("describe", "pod", name, "-n", "anti").ok().out())
                .contains("FailedScheduling")
                .contains("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: "
                        + "3 No preemption victims found for incoming pod."));
        assertThat(kubectl.run("get", "pod", name, "-n", "anti", "-o", "jsonpath={.status.conditions[?(@.type=='PodScheduled')].reason}")
                .ok().out()).isEqualTo("Unschedulable");
        kubectl.run("delete", "namespace", "anti").ok();
    }

    @Test
    void topologySpreadBalancesZonesAndNeedsTheKeyOnTheNode() throws Exception {
        kubectl.run("create", "namespace", "spread").ok();
        kubectl.runWithInput(deployment("zoned", 4, """
                      topologySpreadConstraints:
                      - maxSkew: 1
                        topologyKey: zone
                        whenUnsatisfiable: DoNotSchedule
                        labelSelector: {matchLabels: {app: zoned}}
                """), "apply", "-n", "spread", "-f", "-").ok();
        await().atMost(WAIT).until(() -> pods("spread", "app=zoned").stream().filter(p -> !node(p).isEmpty()).count() == 4);
        Map<String, Integer> perZone = new HashMap<>();
        for (JsonNode p : pods("spread", "app=zoned")) {
            perZone.merge(node(p).equals("sim-2") ? "b" : "a", 1, Integer::sum);
        }
        assertThat(perZone).containsEntry("a", 2).containsEntry("b", 2);

        kubectl.runWithInput(deployment("racked", 1, """
                      topologySpreadConstraints:
                      - maxSkew: 1
                        topologyKey: rack
                        whenUnsatisfiable: DoNotSchedule
                        labelSelector: {matchLabels: {app: racked}}
                """), "apply", "-n", "spread", "-f", "-").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "events", "-n", "spread",
                "--field-selector", "reason=FailedScheduling").ok().out())
                .contains("0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label)."));
        kubectl.run("delete", "namespace", "spread").ok();
    }

    @Test
    void aHighPriorityPodPreemptsLowPriorityOnesOnAFullCluster() throws Exception {
        assertThat(kubectl.run("get", "priorityclass", "system-node-critical", "system-cluster-critical").ok().out())
                .contains("2000001000").contains("2000000000");
        kubectl.run("create", "namespace", "pre").ok();
        kubectl.runWithInput("""
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: low}
                value: 10
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                """, "apply", "-f", "-").ok();
        Kubectl.Result unknown = kubectl.runWithInput(pod("lost", "nope", "100m"), "create", "-n", "pre", "-f", "-");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("pods \"lost\" is forbidden: no PriorityClass with name nope was found");

        StringBuilder lows = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            lows.append(pod("low-" + i, "low", "900m")).append("---\n");
        }
        kubectl.runWithInput(lows.toString(), "create", "-n", "pre", "-f", "-").ok();
        await().atMost(WAIT).until(() -> pods("pre", "tier=low").stream().filter(p -> !node(p).isEmpty()).count() == 6);
        assertThat(kubectl.run("get", "pod", "low-0", "-n", "pre", "-o", "jsonpath={.spec.priority}").ok().out()).isEqualTo("10");

        kubectl.runWithInput(pod("vip", "high", "1500m").replace("tier: high", "tier: vip"), "create", "-n", "pre", "-f", "-").ok();

        await().atMost(WAIT).until(() -> node(JSON.readTree(kubectl.run("get", "pod", "vip", "-n", "pre", "-o", "json").ok().out()))
                .startsWith("sim-"));
        JsonNode vip = JSON.readTree(kubectl.run("get", "pod", "vip", "-n", "pre", "-o", "json").ok().out());
        String node = node(vip);
        assertThat(vip.path("status").path("nominatedNodeName").asText()).isEqualTo(node);
        assertThat(vip.path("spec").path("priority").asInt()).isEqualTo(1000);
        List<String> survivors = new ArrayList<>();
        for (JsonNode p : pods("pre", "tier=low")) {
            survivors.add(p.path("metadata").path("name").asText());
            assertThat(node(p)).isNotEqualTo(node);
        }
        assertThat(survivors).hasSize(4);
        String events = kubectl.run("get", "events", "-n", "pre", "--field-selector", "reason=Preempted").ok().out();
        assertThat(events).contains("Preempted by pod " + vip.path("metadata").path("uid").asText() + " on node " + node);
        kubectl.run("delete", "namespace", "pre").ok();
    }

    private static String deployment(String name, int replicas, String specExtra) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                      - name: c
                        image: busybox
                        resources: {requests: {cpu: 100m}}
                %s""".formatted(name, replicas, name, name, specExtra);
    }

    private static String pod(String name, String priorityClass, String cpu) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, labels: {tier: %s}}
                spec:
                  priorityClassName: %s
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: c
                    image: busybox
                    resources: {requests: {cpu: %s}}
                """.formatted(name, priorityClass, priorityClass, cpu);
    }

    private static List<JsonNode> pods(String namespace, String selector) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(kubectl.run("get", "pods", "-n", namespace, "-l", selector, "-o", "json").ok().out()).path("items").forEach(out::add);
        return out;
    }

    private static String node(JsonNode pod) {
        return pod.path("spec").path("nodeName").asText("");
    }
}
