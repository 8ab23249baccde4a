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
 * DaemonSets through the real kubectl against three simulated nodes: a pod on each node but a
 * tainted one, a rolling update that rollout status follows to the end, a pod for a node that
 * joins later, and pods that follow a nodeSelector as node labels change.
 */
class DaemonSetTest {

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
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPodOnEveryUntaintedNodeRolledOutAndOneForANodeThatJoins() throws Exception {
        kubectl.run("create", "namespace", "ds").ok();
        // a merge patch rather than `kubectl taint`, which sends a strategic merge patch
        kubectl.run("patch", "node", "sim-2", "--type=merge", "-p",
                "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}}").ok();
        try {
            apply("ds", "agent", "");

            Kubectl.Result status = kubectl.run("rollout", "status", "ds/agent", "-n", "ds", "--timeout=60s");

            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("daemon set \"agent\" successfully rolled out");
            assertThat(nodesOfPods("ds")).containsExactlyInAnyOrder("sim-0", "sim-1");
            JsonNode ds = json("get", "ds", "agent", "-n", "ds", "-o", "json");
            assertThat(ds.at("/status/desiredNumberScheduled").asInt()).isEqualTo(2);
            assertThat(ds.at("/status/numberReady").asInt()).isEqualTo(2);
            JsonNode pod = json("get", "pods", "-n", "ds", "-o", "json").at("/items/0");
            assertThat(pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchFields/0/key")
                    .asText()).isEqualTo("metadata.name");
            assertThat(pod.at("/spec/tolerations").toString()).contains("node.kubernetes.io/unschedulable");

            kubectl.run("patch", "ds", "agent", "-n", "ds", "--type=json", "-p",
                    "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"agent:2\"}]").ok();
            Kubectl.Result rolled = kubectl.run("rollout", "status", "ds/agent", "-n", "ds", "--timeout=60s");

            assertThat(rolled.exit()).as(rolled.err()).isZero();
            await().atMost(WAIT).until(() -> images("ds").equals(List.of("agent:2", "agent:2")));
            assertThat(names("ds", "controllerrevisions")).hasSize(2);

            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Node
                    metadata:
                      name: sim-extra
                      labels: {kubernetes.io/hostname: sim-extra}
                    status:
                      conditions: [{type: Ready, status: "True"}]
                      capacity: {cpu: "8", memory: 32Gi, pods: "110"}
                      allocatable: {cpu: "8", memory: 32Gi, pods: "110"}
                    """, "create", "-f", "-").ok();

            await().atMost(WAIT).until(() -> nodesOfPods("ds").contains("sim-extra"));
            assertThat(nodesOfPods("ds")).containsExactlyInAnyOrder("sim-0", "sim-1", "sim-extra");
            await().atMost(WAIT).until(() -> json("get", "ds", "agent", "-n", "ds", "-o", "json").at("/status/desiredNumberScheduled").asInt() == 3);
        } finally {
            kubectl.run("patch", "node", "sim-2", "--type=merge", "-p", "{\"spec\":{\"taints\":null}}");
            kubectl.run("delete", "node", "sim-extra", "--ignore-not-found");
        }
    }

    @Test
    void podsFollowTheNodeSelectorAsNodeLabelsChange() throws Exception {
        kubectl.run("create", "namespace", "edge").ok();
        try {
            kubectl.run("label", "node", "sim-0", "role=edge").ok();
            apply("edge", "proxy", "nodeSelector: {role: edge}");
            await().atMost(WAIT).until(() -> nodesOfPods("edge").equals(List.of("sim-0")));

            kubectl.run("label", "node", "sim-1", "role=edge").ok();
            await().atMost(WAIT).until(() -> nodesOfPods("edge").size() == 2);

            kubectl.run("label", "node", "sim-0", "role-").ok();
            await().atMost(WAIT).until(() -> nodesOfPods("edge").equals(List.of("sim-1")));
            Kubectl.Result status = kubectl.run("rollout", "status", "ds/proxy", "-n", "edge", "--timeout=60s");
            assertThat(status.exit()).as(status.err()).isZero();
        } finally {
            kubectl.run("label", "node", "sim-0", "sim-1", "role-");
        }
    }

    private static void apply(String ns, String name, String extraPodSpec) throws Exception {
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  selector: {matchLabels: {app: %1$s}}
                  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers: [{name: c, image: "agent:1"}]
                      %3$s
                """.formatted(name, ns, extraPodSpec), "apply", "-f", "-").ok();
    }

    /** The node each live pod of the namespace is bound to (or pinned to, until it is bound). */
    private static List<String> nodesOfPods(String ns) throws Exception {
        List<String> nodes = new ArrayList<>();
        for (JsonNode pod : json("get", "pods", "-n", ns, "-o", "json").path("items")) {
            if (!pod.path("metadata").has("deletionTimestamp")) {
                nodes.add(pod.at("/spec/nodeName").asText(""));
            }
        }
        nodes.sort(null);
        return nodes;
    }

    private static List<String> images(String ns) throws Exception {
        List<String> images = new ArrayList<>();
        for (JsonNode pod : json("get", "pods", "-n", ns, "-o", "json").path("items")) {
            if (!pod.path("metadata").has("deletionTimestamp")) {
                images.add(pod.at("/spec/containers/0/image").asText());
            }
        }
        return images;
    }

    private static List<String> names(String ns, String kinds) throws Exception {
        String out = kubectl.run("get", kinds, "-n", ns, "-o", "name").ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
