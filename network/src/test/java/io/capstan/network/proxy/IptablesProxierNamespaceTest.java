package io.capstan.network.proxy;

import static io.capstan.network.proxy.Objects.service;
import static io.capstan.network.proxy.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.network.iptables.Iptables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the proxy's rules into a network namespace the test makes (the "node"), with three more namespaces as endpoints
 * running busybox httpd and one as an outside client, and checks real connections. Nothing touches the host's tables.
 */
class IptablesProxierNamespaceTest {

    @TempDir
    Path dir;

    private final String id = "cap-px" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
    private final String node = id + "-n";
    private final String client = id + "-c";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private IptablesProxier proxier;
    private Iptables iptables;

    private static final ProxyConfig CONFIG = new ProxyConfig("node-a", List.of("10.88.0.1"), "10.77.0.0/16", "", false, Duration.ZERO);

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Iptables.find().isPresent(), "needs iptables");
        netns(node);
        run("ip", "netns", "exec", node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        netns(client);
        link(client, "vc", "10.88.0.1", "10.88.0.2");
        // The node's own connections to cluster IPs need a route to start from (DNAT then re-routes them), as a
        // host's default route gives; one back out through vc would have the node send ICMP redirects, which use up
        // the ICMP rate limit that REJECT's "port unreachable" needs.
        run("ip", "-n", node, "link", "add", "svc0", "type", "veth", "peer", "name", "svc1");
        run("ip", "-n", node, "link", "set", "svc0", "up");
        run("ip", "-n", node, "link", "set", "svc1", "up");
        run("ip", "-n", node, "route", "add", "10.78.0.0/24", "dev", "svc0");
        for (int i = 1; i <= 3; i++) {
            String ep = id + "-e" + i;
            netns(ep);
            link(ep, "v" + i, "10.77." + i + ".1", "10.77." + i + ".2");
            Path root = Files.createDirectories(dir.resolve("ep" + i));
            Files.writeString(root.resolve("index.html"), "ep" + i + "\n");
            servers.add(new ProcessBuilder("ip", "netns", "exec", ep, "busybox", "httpd", "-f", "-p", "8080", "-h", root.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        iptables = Iptables.find().orElseThrow().inNamespace(node);
        proxier = new IptablesProxier(iptables, CONFIG);
        proxier.init();
    }

    @AfterEach
    void tearDown() throws Exception {
        servers.forEach(Process::destroyForcibly);
        for (Process p : servers) {
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
    }

    private void netns(String name) throws Exception {
        run("ip", "netns", "add", name);
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** A veth pair from the node to ns: the node side gets nodeIp/24, ns's eth0 peerIp/24 and a default route to the node. */
    private void link(String ns, String nodeSide, String nodeIp, String peerIp) throws Exception {
        run("ip", "-n", node, "link", "add", nodeSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "-n", node, "addr", "add", nodeIp + "/24", "dev", nodeSide);
        run("ip", "-n", node, "link", "set", nodeSide, "up");
        run("ip", "-n", ns, "addr", "add", peerIp + "/24", "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
        run("ip", "-n", ns, "route", "add", "default", "via", nodeIp);
    }

    private static ObjectNode endpoints(String service, int... which) {
        String[] eps = new String[which.length];
        for (int i = 0; i < which.length; i++) {
            eps[i] = "10.77." + which[i] + ".2@node-a";
        }
        return slice("default", service, "http", 8080, "TCP", eps);
    }

    private void sync(List<ObjectNode> services, List<ObjectNode> slices) {
        proxier.sync(ModelBuilder.build(services, slices, "node-a"));
    }

    private static final List<ObjectNode> WEB = List.of(service("default", "web",
            "{'type':'NodePort','clusterIP':'10.78.0.5','ports':[{'name':'http','port':80,'nodePort':30080}]}"));

    @Test
    void aClusterIpSpreadsConnectionsOverAllThreeEndpoints() throws Exception {
        sync(WEB, List.of(endpoints("web", 1, 2, 3)));
        Map<String, Integer> hits = fetchMany(client, "http://10.78.0.5/", 30);
        assertThat(hits.keySet()).containsExactlyInAnyOrder("ep1", "ep2", "ep3");
        // The node's own connections (nat OUTPUT) reach the service too.
        assertThat(fetch(node, "http://10.78.0.5/")).matches("ep[123]");
    }

    @Test
    void aNodePortAnswersOnTheNodesAddress() throws Exception {
        sync(WEB, List.of(endpoints("web", 1, 2, 3)));
        assertThat(fetchMany(client, "http://10.88.0.1:30080/", 15).keySet()).isNotEmpty().allMatch(s -> s.matches("ep[123]"));
    }

    @Test
    void aLoadBalancerAnswersOnTheNodesAddressAtTheServicePort() throws Exception {
        sync(List.of(service("default", "web", "{'type':'LoadBalancer','clusterIP':'10.78.0.6','ports':[{'name':'http','port':8081,'nodePort':30081}]}")),
                List.of(endpoints("web", 2)));
        assertThat(fetch(client, "http://10.88.0.1:8081/")).isEqualTo("ep2");
    }

    @Test
    void clientIpAffinityKeepsAClientOnOneEndpoint() throws Exception {
        sync(List.of(service("default", "web", "{'clusterIP':'10.78.0.5','sessionAffinity':'ClientIP','ports':[{'name':'http','port':80}]}")),
                List.of(endpoints("web", 1, 2, 3)));
        assertThat(fetchMany(client, "http://10.78.0.5/", 12)).hasSize(1);
    }

    @Test
    void endpointChangesAreAppliedIncrementallyAndServicesWithoutEndpointsReject() throws Exception {
        sync(WEB, List.of(endpoints("web", 1, 2, 3)));
        sync(WEB, List.of(endpoints("web", 2)));
        assertThat(fetchMany(client, "http://10.78.0.5/", 8).keySet()).containsExactly("ep2");
        assertThat(iptables.iptables("-t", "nat", "-S")).doesNotContain("10.77.1.2:8080");
        sync(WEB, List.of(endpoints("web")));
        Result refused = wget(client, "http://10.78.0.5/");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.out()).containsIgnoringCase("refused");
    }

    @Test
    void closingRemovesEveryRuleAndChain() throws Exception {
        sync(WEB, List.of(endpoints("web", 1, 2, 3)));
        assertThat(iptables.iptables("-t", "nat", "-S")).contains("CAPSTAN-SVC-");
        proxier.close();
        assertThat(iptables.iptables("-t", "nat", "-S")).doesNotContain("CAPSTAN");
        assertThat(iptables.iptables("-t", "filter", "-S")).doesNotContain("CAPSTAN");
    }

    @Test
    void aNewProxierDeletesChainsAnEarlierRunLeft() throws Exception {
        sync(WEB, List.of(endpoints("web", 1, 2, 3)));
        IptablesProxier restarted = new IptablesProxier(iptables, CONFIG);
        restarted.init();
        restarted.sync(ModelBuilder.build(WEB, List.of(endpoints("web", 3)), "node-a"));
        String nat = iptables.iptables("-t", "nat", "-S");
        assertThat(nat).doesNotContain("10.77.1.2:8080").contains("10.77.3.2:8080");
        assertThat(nat.lines().filter(l -> l.startsWith("-N CAPSTAN-SEP-")).count()).isEqualTo(1);
        assertThat(nat.lines().filter(l -> l.contains("-j CAPSTAN-SERVICES")).count()).isEqualTo(2);
    }

    private Map<String, Integer> fetchMany(String ns, String url, int n) throws Exception {
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < n; i++) {
            hits.merge(fetch(ns, url), 1, Integer::sum);
        }
        return hits;
    }

    private String fetch(String ns, String url) throws Exception {
        Result r = wget(ns, url);
        assertThat(r.code()).as(r.out()).isZero();
        return r.out().strip();
    }

    private record Result(int code, String out) {}

    private Result wget(String ns, String url) throws Exception {
        // The first fetch may race httpd's start. timeout bounds each try: busybox wget crashes with its own -T.
        Result r = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            r = exec("timeout", "10", "ip", "netns", "exec", ns, "busybox", "wget", "-q", "-O", "-", url);
            if (r.code() == 0 || r.out().contains("refused") && attempt > 0 || r.code() == 124) {
                return r;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return r;
    }

    private static Result exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), out);
    }

    private static void run(String... cmd) throws Exception {
        Result r = exec(cmd);
        if (r.code() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + r.out());
        }
    }
}
