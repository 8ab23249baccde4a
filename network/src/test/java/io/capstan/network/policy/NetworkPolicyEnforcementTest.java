package io.capstan.network.policy;

import static io.capstan.network.policy.Fixtures.namespace;
import static io.capstan.network.policy.Fixtures.pod;
import static io.capstan.network.policy.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.network.iptables.Iptables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real packets through real rules: a network namespace the test makes plays the node (a bridge, bridge-nf-call-iptables
 * on, its own iptables), three more play pods on the bridge; the server pod runs busybox httpd.
 */
class NetworkPolicyEnforcementTest {

    @TempDir
    Path dir;

    private final String node = "cap-np" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
    private final List<String> namespaces = new ArrayList<>();
    private Process server;
    private PolicyEnforcer enforcer;
    private Iptables iptables;

    private final ObjectNode web = pod("prod", "web", "n1", "10.77.0.3", "app=web", "http:8080/TCP");
    private final ObjectNode client = pod("prod", "client", "n1", "10.77.0.2", "role=client", "");
    private final ObjectNode stranger = pod("dev", "stranger", "n1", "10.77.0.4", "role=client", "");
    private final List<ObjectNode> nsObjects = List.of(namespace("prod", "team=a"), namespace("dev", "team=b"));

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Iptables.find().isPresent(), "needs iptables");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/busybox")) || Files.isExecutable(Path.of("/bin/busybox")), "needs busybox");
        netns(node);
        run(node, "ip", "link", "set", "lo", "up");
        run(node, "ip", "link", "add", "br0", "type", "bridge");
        run(node, "ip", "addr", "add", "10.77.0.1/24", "dev", "br0");
        run(node, "ip", "link", "set", "br0", "up");
        // Each network namespace has its own copy of the setting; the node's must let bridged packets reach FORWARD.
        assumeTrue(BridgeNetfilter.ensure(Path.of("/proc/sys")), "needs br_netfilter");
        run(node, "sh", "-c", "echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables");
        attach("a", "10.77.0.2");
        attach("b", "10.77.0.3");
        attach("c", "10.77.0.4");
        Files.writeString(dir.resolve("index.html"), "hello\n");
        server = new ProcessBuilder("ip", "netns", "exec", node + "b", "busybox", "httpd", "-f", "-p", "8080", "-h", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        iptables = Iptables.find().orElseThrow().inNamespace(node);
        enforcer = new PolicyEnforcer(iptables, new PolicyChains(PolicyChains.tag(node)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> reaches("a"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces.reversed()) {
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void enforce(JsonNode... policies) {
        enforcer.apply(new PolicyCompiler("n1").compile(new PolicySnapshot(List.of(policies), List.of(web, client, stranger), nsObjects)));
    }

    @Test
    void aDefaultDenyBlocksThenAnAllowLetsOnlyTheChosenClientInAndDeletingRestoresAccess() throws Exception {
        enforce();
        assertThat(reaches("a")).isTrue();
        assertThat(reaches("c")).isTrue();

        JsonNode deny = policy("prod", "deny", "podSelector: {}\npolicyTypes: [Ingress]\n");
        enforce(deny);
        assertThat(reaches("a")).isFalse();
        assertThat(reaches("c")).isFalse();
        assertThat(reachesFrom(node)).as("the node reaches its pods whatever the policies").isTrue();

        JsonNode allow = policy("prod", "allow", """
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {role: client}}}]
                  ports: [{port: http}]
                """);
        enforce(deny, allow);
        assertThat(reaches("a")).isTrue();
        assertThat(reaches("c")).isFalse();

        enforce();
        assertThat(reaches("a")).isTrue();
        assertThat(reaches("c")).isTrue();
    }

    @Test
    void egressIsCheckedAtTheSenderAndRepliesToAllowedConnectionsPass() throws Exception {
        enforce(policy("prod", "no-egress", "podSelector: {matchLabels: {role: client}}\npolicyTypes: [Egress]\n"));
        assertThat(reaches("a")).isFalse();
        assertThat(reaches("c")).isTrue();

        // The reply from web to the client is not the client's ingress nor web's egress: it passes as part of the connection.
        enforce(policy("prod", "to-web", """
                podSelector: {matchLabels: {role: client}}
                policyTypes: [Egress, Ingress]
                egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]
                """));
        assertThat(reaches("a")).isTrue();
    }

    @Test
    void removeTakesEveryChainAndTheJumpAwayAlsoAfterARestart() throws Exception {
        enforce(policy("prod", "deny", "podSelector: {}\n"));
        assertThat(iptables.iptables("-t", "filter", "-S")).contains("CAPSTAN-NP-");
        // A new enforcer (an agent that restarted) finds the old chains and still removes them all.
        PolicyEnforcer restarted = new PolicyEnforcer(iptables, new PolicyChains(PolicyChains.tag(node)));
        restarted.apply(List.of());
        assertThat(iptables.iptables("-t", "filter", "-S").lines().filter(l -> l.startsWith("-N CAPSTAN-NP-"))).hasSize(1);
        assertThat(reaches("a")).isTrue();
        restarted.remove();
        assertThat(iptables.iptables("-t", "filter", "-S")).doesNotContain("CAPSTAN-NP-");
        restarted.apply(List.of());
        assertThat(iptables.iptables("-t", "filter", "-S")).as("an enforcer applies nothing once removed").doesNotContain("CAPSTAN-NP-");
    }

    @Test
    void theJumpMovesAheadOfARuleThatWouldAcceptFirst() throws Exception {
        enforce(policy("prod", "deny", "podSelector: {}\n"));
        iptables.iptables("-t", "filter", "-I", "FORWARD", "1", "-j", "ACCEPT");
        assertThat(reaches("a")).isTrue();
        enforce(policy("prod", "deny", "podSelector: {}\n"));
        assertThat(iptables.iptables("-t", "filter", "-S", "FORWARD").lines().filter(l -> l.startsWith("-A")).findFirst().orElseThrow())
                .contains("-j CAPSTAN-NP-");
        assertThat(reaches("a")).isFalse();
    }

    private boolean reaches(String pod) throws Exception {
        return reachesFrom(node + pod);
    }

    private boolean reachesFrom(String netns) throws Exception {
        // busybox's own wget -T crashes (static build), so timeout bounds the wait for a dropped connection.
        Process p = new ProcessBuilder("ip", "netns", "exec", netns, "busybox", "timeout", "2", "busybox", "wget", "-qO-",
                "http://10.77.0.3:8080/")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals("hello\n");
    }

    private void attach(String suffix, String ip) throws Exception {
        String pod = node + suffix;
        netns(pod);
        run(node, "ip", "link", "add", "veth" + suffix, "type", "veth", "peer", "name", "eth0", "netns", pod);
        run(node, "ip", "link", "set", "veth" + suffix, "master", "br0", "up");
        run(pod, "ip", "link", "set", "lo", "up");
        run(pod, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        run(pod, "ip", "link", "set", "eth0", "up");
    }

    private void netns(String name) throws Exception {
        exec(List.of("ip", "netns", "add", name));
        namespaces.add(name);
    }

    private static void run(String netns, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(command));
        exec(cmd);
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
