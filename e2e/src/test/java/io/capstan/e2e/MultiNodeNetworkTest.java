package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.cli.bench.NodeLeftovers;
import io.capstan.runtime.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods on two nodes reach each other by pod IP, unmasqueraded: the server's own agent is node 1 on this host, and a
 * second `capstan agent` in a network namespace of the test's (joined to the host by a veth pair, addresses from
 * 172.31.N.0/24) is node 2, another host on the same link, as host-gw routing needs. Node 2 gets its pod subnet from
 * the server's node IPAM controller; both import the busybox image beforehand, so no registry must be reachable
 * from inside the namespace.
 */
class MultiNodeNetworkTest {

    @TempDir
    static Path dir;
    static final int LINK = 1 + ThreadLocalRandom.current().nextInt(254);
    static final int PAIR = ThreadLocalRandom.current().nextInt(128);
    static final String TAG = String.format("%02x%04x", LINK, ThreadLocalRandom.current().nextInt(1 << 16));
    static final String NETNS = "cap-mn-" + TAG;
    static final String HOST_VETH = "cpmh" + TAG;
    static final String NS_VETH = "cpmn" + TAG;
    static final String HOST_IP = "172.31." + LINK + ".1";
    static final String NODE2_IP = "172.31." + LINK + ".2";
    /** Two /24s: node 1's (given with --pod-cidr, as the other agent tests do) and the one the server allocates to node 2. */
    static final String CLUSTER_CIDR = "10.195." + (2 * PAIR) + ".0/23";
    static final String NODE1_CIDR = "10.195." + (2 * PAIR) + ".0/24";
    static final String NODE2_CIDR = "10.195." + (2 * PAIR + 1) + ".0/24";

    static CapstanServer server;
    static Kubectl kubectl;
    static Process agent;

    @BeforeAll
    static void start() throws Exception {
        try {
            Path layout = TestImages.busybox(dir.resolve("layout"));
            importImage(dir.resolve("server"), layout);
            importImage(dir.resolve("node2"), layout);
            must("ip", "netns", "add", NETNS);
            must("ip", "link", "add", HOST_VETH, "type", "veth", "peer", "name", NS_VETH);
            must("ip", "link", "set", NS_VETH, "netns", NETNS);
            must("ip", "addr", "add", HOST_IP + "/24", "dev", HOST_VETH);
            must("ip", "link", "set", HOST_VETH, "up");
            must("ip", "netns", "exec", NETNS, "ip", "addr", "add", NODE2_IP + "/24", "dev", NS_VETH);
            must("ip", "netns", "exec", NETNS, "ip", "link", "set", NS_VETH, "up");
            must("ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up");
            server = CapstanServer.startWithAgent(dir.resolve("server"), bridge(1), NODE1_CIDR, cgroupRoot(1),
                    "--cluster-cidr", CLUSTER_CIDR, "--node-ip", HOST_IP, "--bind", "0.0.0.0", "--tls-san", HOST_IP);
            kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
            agent = startAgent(Files.readString(server.dataDir().resolve("node-token")).trim());
            await().atMost(Duration.ofSeconds(120)).until(() -> kubectl.run("get", "nodes", "-o",
                    "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}").out().equals("True True"));
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (kubectl != null) {
                kubectl.run("delete", "pods", "--all", "--grace-period=1", "--wait=true", "--timeout=50s");
            }
            if (agent != null) {
                agent.destroy(); // SIGTERM: the agent takes its routes and rules away
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            if (server != null) {
                server.close();
            }
        } finally {
            NodeLeftovers.clean(dir.resolve("server"), bridge(1), cgroupRoot(1));
            NodeLeftovers.clean(dir.resolve("node2"), bridge(2), cgroupRoot(2));
            // The namespace takes its end of the veth pair, and the pair the host's routes through it.
            sh("ip", "netns", "del", NETNS);
            sh("ip", "link", "del", HOST_VETH);
        }
    }

    @Test
    void theSecondNodeGetsItsPodCidrFromTheServerAndTheFirstKeepsItsOwn() throws Exception {
        assertThat(kubectl.run("get", "node", "e2e-node2", "-o", "jsonpath={.spec.podCIDR} {.spec.podCIDRs[0]}").ok().out())
                .isEqualTo(NODE2_CIDR + " " + NODE2_CIDR);
        assertThat(kubectl.run("get", "node", "e2e-node", "-o", "jsonpath={.spec.podCIDR}").ok().out()).isEqualTo(NODE1_CIDR);
        assertThat(kubectl.run("get", "node", "e2e-node2", "-o",
                "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").ok().out()).isEqualTo(NODE2_IP);
    }

    @Test
    void aPodOnOneNodeReachesAPodOnTheOtherByPodIpAndIsSeenByItsOwnAddress() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  nodeName: e2e-node2
                  containers:
                  - name: httpd
                    image: %1$s
                    imagePullPolicy: Never
                    command: [sh, -c, "mkdir -p /www && echo hello from node 2 > /www/index.html && exec httpd -f -vv -p 8080 -h /www"]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  nodeName: e2e-node
                  containers:
                  - name: sh
                    image: %1$s
                    imagePullPolicy: Never
                    command: [sleep, "3600"]
                """.formatted(TestImages.BUSYBOX_REFERENCE), "apply", "-f", "-").ok();
        await().atMost(Duration.ofSeconds(120)).until(() -> kubectl.run("get", "pods", "-o",
                "jsonpath={.items[*].status.phase}").out().equals("Running Running"));
        JsonNode web = pod("web");
        JsonNode client = pod("client");
        String webIp = web.path("status").path("podIP").asText();
        String clientIp = client.path("status").path("podIP").asText();
        assertThat(webIp).startsWith(NODE2_CIDR.substring(0, NODE2_CIDR.lastIndexOf('.') + 1));
        assertThat(clientIp).startsWith(NODE1_CIDR.substring(0, NODE1_CIDR.lastIndexOf('.') + 1));

        // The route to node 2's pods may appear a moment after its podCIDR: retry until the first answer. (This busybox's
        // wget crashes with -q or -T, so busybox timeout bounds it and its progress goes to stderr.)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> kubectl.run("exec", "client", "--",
                "timeout", "5", "wget", "-O", "-", "http://" + webIp + ":8080/index.html").out().equals("hello from node 2\n"));

        // busybox httpd -vv logs each request as [::ffff:CLIENT_IP]:PORT: url:PATH; the peer must see the pod's own address.
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "web").out().contains(":" + clientIp + "]:"));
        assertThat(kubectl.run("logs", "web").ok().out()).doesNotContain(HOST_IP);
    }

    private static JsonNode pod(String name) throws Exception {
        return AgentCluster.JSON.readTree(kubectl.run("get", "pod", name, "-o", "json").ok().out());
    }

    private static String bridge(int node) {
        return "cpmb" + node + TAG;
    }

    private static String cgroupRoot(int node) {
        return "capstan-e2e-mn" + node + "-" + TAG;
    }

    /** The second node: `capstan agent` inside the namespace (nsenter --net keeps the host's mounts, cgroups among them). */
    private static Process startAgent(String token) throws IOException {
        Files.createDirectories(dir.resolve("node2"));
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + NETNS, "--",
                CapstanServer.javaBinary(), "-Xmx256m", "-jar", System.getProperty("capstan.jar"), "agent",
                "--server", "https://" + HOST_IP + ":" + server.port(), "--token", token,
                "--data-dir", dir.resolve("node2").toString(), "--node-name", "e2e-node2", "--node-ip", NODE2_IP,
                "--agent-port", "0", "--cni-bridge", bridge(2), "--cgroup-root", cgroupRoot(2), "--cluster-cidr", CLUSTER_CIDR));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node2.log").toFile())).start();
    }

    /** `capstan image import` into a node's data directory before it starts, as an air-gapped node is provisioned. */
    private static void importImage(Path dataDir, Path layout) throws Exception {
        Files.createDirectories(dataDir);
        Process p = new ProcessBuilder(CapstanServer.javaBinary(), "-jar", System.getProperty("capstan.jar"), "image",
                "--data-dir", dataDir.toString(), "import", layout.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Runs a clean-up command; it may find nothing to remove. */
    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Runs a set-up command, which must succeed. */
    private static void must(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
