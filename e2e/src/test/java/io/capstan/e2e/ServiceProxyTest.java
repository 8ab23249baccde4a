package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's service proxy with real containers: a ClusterIP and NodePort Service over three busybox httpd pods,
 * fetched from another pod and from the host, spreading over all three. The Service has an explicit cluster IP from a
 * range of the test's own and a hand-made EndpointSlice, so other servers on this host never share its addresses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceProxyTest {

    @TempDir
    static Path dir;
    static AgentCluster cluster;
    static Kubectl kubectl;
    static final int NET = ThreadLocalRandom.current().nextInt(1, 255);
    static final String CLUSTER_IP = "10.43." + NET + ".10"; // in the default service CIDR, away from kubernetes (.0.1) and kube-dns (.0.10)
    static final int NODE_PORT = ThreadLocalRandom.current().nextInt(30000, 32768);
    static List<String> pods = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        kubectl = cluster.kubectl;
        cluster.namespace("svc");
        cluster.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: svc}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: httpd
                        image: IMAGE
                        command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: svc}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - {name: client, image: IMAGE, command: [sleep, "3600"]}
                """);
        kubectl.run("rollout", "status", "deployment/web", "-n", "svc", "--timeout=120s").ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/client", "-n", "svc", "--timeout=120s").ok();
        StringBuilder endpoints = new StringBuilder();
        for (JsonNode p : AgentCluster.JSON.readTree(kubectl.run("get", "pods", "-n", "svc", "-l", "app=web", "-o", "json").ok().out()).path("items")) {
            String name = p.path("metadata").path("name").asText();
            pods.add(name);
            endpoints.append("""
                  - addresses: [%s]
                    conditions: {ready: true, serving: true, terminating: false}
                    nodeName: e2e-node
                    targetRef: {kind: Pod, namespace: svc, name: %s}
                """.formatted(p.path("status").path("podIP").asText(), name));
        }
        assertThat(pods).hasSize(3);
        // No selector: the Service's endpoints are the slice below, whatever controllers run.
        cluster.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: svc}
                spec:
                  type: NodePort
                  clusterIP: %s
                  ports: [{name: http, port: 80, targetPort: 8080, nodePort: %d}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-manual
                  namespace: svc
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints:
                """.formatted(CLUSTER_IP, NODE_PORT) + endpoints);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClusterIpFetchedFromAPodSpreadsOverAllThreeReplicas() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                kubectl.run("exec", "client", "-n", "svc", "--", "wget", "-q", "-O", "-", "http://" + CLUSTER_IP + "/").exit() == 0);
        String out = kubectl.run("exec", "client", "-n", "svc", "--", "sh", "-c",
                "for i in $(seq 30); do wget -q -O - http://" + CLUSTER_IP + "/; done").ok().out();
        Map<String, Integer> hits = new HashMap<>();
        out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> hits.merge(l, 1, Integer::sum));
        assertThat(hits.keySet()).containsExactlyInAnyOrderElementsOf(pods);
    }

    @Test
    void aClusterIpFetchedFromTheHostSpreadsOverAllThreeReplicas() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> hostFetch("http://" + CLUSTER_IP + "/") != null);
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            hits.merge(hostFetch("http://" + CLUSTER_IP + "/"), 1, Integer::sum);
        }
        assertThat(hits.keySet()).containsExactlyInAnyOrderElementsOf(pods);
    }

    @Test
    void theNodePortAnswersOnTheNodesAddressFromTheHost() throws Exception {
        String nodeIp = kubectl.run("get", "node", "e2e-node", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").ok().out();
        assertThat(nodeIp).isNotBlank();
        await().atMost(Duration.ofSeconds(30)).until(() -> hostFetch("http://" + nodeIp + ":" + NODE_PORT + "/") != null);
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            hits.merge(hostFetch("http://" + nodeIp + ":" + NODE_PORT + "/"), 1, Integer::sum);
        }
        assertThat(hits.keySet()).containsExactlyInAnyOrderElementsOf(pods);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void stoppingTheServerRemovesEveryRuleOfItsProxy() throws Exception {
        kubectl.run("delete", "pods", "--all", "-n", "svc", "--grace-period=1", "--wait=true", "--timeout=50s");
        assertThat(hostRules()).contains("CAPSTAN-SERVICES-" + cluster.tag()).contains(CLUSTER_IP);
        cluster.server.terminate();
        assertThat(hostRules()).doesNotContain("-" + cluster.tag()).doesNotContain(CLUSTER_IP).doesNotContain("--dport " + NODE_PORT);
    }

    private static String hostRules() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("nat", "filter")) {
            Process p = new ProcessBuilder("iptables", "-w", "5", "-t", table, "-S").redirectErrorStream(true).start();
            all.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            p.waitFor(15, TimeUnit.SECONDS);
        }
        return all.toString();
    }

    /** The page busybox wget fetches from the host, or null when the fetch fails. */
    private static String hostFetch(String url) throws Exception {
        Process p = new ProcessBuilder("timeout", "10", "busybox", "wget", "-q", "-O", "-", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(15, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : null;
    }
}
