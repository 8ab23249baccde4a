package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource usage with real containers: `kubectl top node` and `kubectl top pod` read metrics.k8s.io, which the API
 * server fills from the agent's stats summary; the agent's Prometheus /metrics is read with a client certificate
 * issued by the cluster CA, as a Prometheus server would scrape a kubelet.
 */
class KubectlTopTest {

    @TempDir
    static Path dir;
    static AgentCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        cluster.namespace("top");
        // A busy loop held to a tenth of a core by its limit, and a pod that only sleeps.
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: spin, namespace: top, labels: {app: spin}}
                spec:
                  containers:
                  - name: loop
                    image: IMAGE
                    command: [sh, -c, "while true; do :; done"]
                    resources: {limits: {cpu: 100m, memory: 32Mi}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: idle, namespace: top, labels: {app: idle}}
                spec:
                  containers: [{name: sleep, image: IMAGE, command: [sleep, "600"]}]
                """);
        for (String pod : List.of("spin", "idle")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.pod("top", pod).path("status").path("phase").asText().equals("Running"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The columns of the row whose first column is name, once kubectl prints it. */
    private static List<String> row(String name, String... args) throws Exception {
        String[] row = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Kubectl.Result result = cluster.kubectl.run(args);
            for (String line : result.out().split("\n")) {
                if (result.exit() == 0 && line.startsWith(name + " ")) {
                    row[0] = line;
                    return true;
                }
            }
            return false;
        });
        return Arrays.asList(row[0].trim().split("\\s+"));
    }

    private static long milli(String cpu) {
        assertThat(cpu).matches("\\d+m");
        return Long.parseLong(cpu.substring(0, cpu.length() - 1));
    }

    @Test
    void topNodeShowsTheAgentsNodeWithCpuAndMemory() throws Exception {
        assertThat(cluster.kubectl.run("api-versions").ok().out()).contains("metrics.k8s.io/v1beta1");
        List<String> node = row("e2e-node", "top", "node");
        // NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%)
        assertThat(milli(node.get(1))).isPositive();
        assertThat(node.get(2)).matches("\\d+%");
        assertThat(node.get(3)).matches("[1-9]\\d*Mi");
        assertThat(node.get(4)).matches("\\d+%");
    }

    @Test
    void topPodShowsTheBusyLoopUsingCpuAndSelectsByLabel() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> milli(row("spin", "top", "pod", "-n", "top").get(1)) >= 20);
        List<String> spin = row("spin", "top", "pod", "-n", "top");
        assertThat(milli(spin.get(1))).isLessThanOrEqualTo(150); // its limit holds it to 100m
        assertThat(spin.get(2)).matches("\\d+Mi");
        assertThat(milli(row("idle", "top", "pod", "-n", "top").get(1))).isLessThan(20);

        String selected = cluster.kubectl.run("top", "pod", "-n", "top", "-l", "app=spin", "--containers").ok().out();
        assertThat(selected).contains("spin").contains("loop").doesNotContain("idle");
        Kubectl.Result json = cluster.kubectl.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/top/pods/spin");
        assertThat(AgentCluster.JSON.readTree(json.ok().out()).path("containers").path(0).path("name").asText()).isEqualTo("loop");
        Kubectl.Result missing = cluster.kubectl.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/top/pods/nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("NotFound");
    }

    @Test
    void theAgentsPrometheusMetricsCarryContainerUsage() throws Exception {
        Path tls = cluster.server.dataDir().resolve("tls");
        Path cert = TestCertificates.issue(dir, "prometheus", "system:monitoring", tls.resolve("ca.crt"), tls.resolve("ca.key"));
        String port = cluster.kubectl.run("get", "node", "e2e-node", "-o", "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}").ok().out();
        String[] metrics = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            metrics[0] = curl("--cert", cert.toString(), "--key", dir.resolve("prometheus.key").toString(),
                    "--cacert", tls.resolve("ca.crt").toString(), "https://127.0.0.1:" + port + "/metrics");
            return metrics[0].contains("container_cpu_usage_seconds_total{container=\"loop\",namespace=\"top\",pod=\"spin\"}");
        });
        assertThat(metrics[0]).contains("container_memory_working_set_bytes{container=\"sleep\",namespace=\"top\",pod=\"idle\"}")
                .containsPattern("kubelet_running_pods [1-9]")
                .containsPattern("kubelet_started_containers_total\\{container_type=\"container\"} [1-9]")
                .containsPattern("kubelet_pod_start_duration_seconds_count [1-9]")
                .containsPattern("kubelet_runtime_operations_duration_seconds_count\\{operation_type=\"start_container\"} [1-9]");
        // Without a certificate from the cluster CA the agent lets nobody in.
        assertThat(curl("--cacert", tls.resolve("ca.crt").toString(), "https://127.0.0.1:" + port + "/metrics")).isEmpty();
    }

    /** curl's body, or "" when the request failed. */
    private static String curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sf", "--max-time", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    }
}
