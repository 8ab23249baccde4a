package io.capstan.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.cli.bench.NodeLeftovers;
import io.capstan.network.proxy.ServiceProxy;
import io.capstan.runtime.testing.TestImages;
import io.capstan.runtime.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What tests with real containers share: a registry on 127.0.0.1 serving the busybox image the test builds, a
 * `capstan server` with its node agent (Ready before the tests start) and kubectl. Closing deletes the pods, so
 * that the agent itself cleans up their containers, mounts and network, then removes whatever is left.
 */
final class AgentCluster implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final TestRegistry registry;
    final String image;
    final CapstanServer server;
    final Kubectl kubectl;
    private final String tag;

    private AgentCluster(TestRegistry registry, String image, CapstanServer server, Kubectl kubectl, String tag) {
        this.registry = registry;
        this.image = image;
        this.server = server;
        this.kubectl = kubectl;
        this.tag = tag;
    }

    /** Bridge and cgroup root carry a tag of their own: other test runs on this machine may have clusters up at the same time. */
    private static String bridge(String tag) {
        return "cpe2e" + tag;
    }

    private static String cgroupRoot(String tag) {
        return "capstan-e2e-" + tag;
    }

    /** Starts everything under dir; what started is stopped again if a later step fails. */
    static AgentCluster start(Path dir) throws Exception {
        int subnet = 1 + ThreadLocalRandom.current().nextInt(254);
        String tag = String.format("%02x%04x", subnet, ThreadLocalRandom.current().nextInt(1 << 16));
        TestRegistry registry = TestRegistry.start();
        CapstanServer server = null;
        try {
            String image = registry.push(TestImages.busybox(dir.resolve("layout")), "busybox:1");
            server = CapstanServer.startWithAgent(dir.resolve("data"), bridge(tag), "10.198." + subnet + ".0/24", cgroupRoot(tag),
                    "--proxy-chain-tag", tag);
            Kubectl kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
            AgentCluster cluster = new AgentCluster(registry, image, server, kubectl, tag);
            await().atMost(Duration.ofSeconds(60)).until(() -> kubectl.run("get", "nodes", "-o",
                    "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
            return cluster;
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
                NodeLeftovers.clean(server.dataDir(), bridge(tag), cgroupRoot(tag));
                ServiceProxy.removeLeftovers(tag);
            }
            registry.close();
            throw e;
        }
    }

    /** The tag of this cluster's iptables chains (CAPSTAN-SERVICES-TAG, ...) and of its bridge and cgroup root. */
    String tag() {
        return tag;
    }

    /** kubectl apply of yaml, with IMAGE standing for the test image. */
    void apply(String yaml) throws Exception {
        kubectl.runWithInput(yaml.replace("IMAGE", image), "apply", "-f", "-").ok();
    }

    JsonNode pod(String ns, String name) throws Exception {
        return JSON.readTree(kubectl.run("get", "pod", name, "-n", ns, "-o", "json").ok().out());
    }

    void namespace(String ns) throws Exception {
        kubectl.run("create", "namespace", ns).ok();
    }

    @Override
    public void close() throws Exception {
        try {
            kubectl.run("delete", "pods", "--all", "-A", "--grace-period=1", "--wait=true", "--timeout=50s");
            server.close();
            NodeLeftovers.clean(server.dataDir(), bridge(tag), cgroupRoot(tag));
            ServiceProxy.removeLeftovers(tag);
        } finally {
            registry.close();
        }
    }
}
