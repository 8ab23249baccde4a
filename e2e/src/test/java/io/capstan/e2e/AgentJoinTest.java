package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.cli.bench.NodeLeftovers;
import io.capstan.runtime.testing.TestImages;
import io.capstan.runtime.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `capstan agent` joins a control plane that runs no agent of its own, with the token from DATA/node-token,
 * under the rights of group system:nodes; its pods run, and their logs come back through the API server.
 */
class AgentJoinTest {

    @TempDir
    static Path dir;
    static TestRegistry registry;
    static String image;
    static CapstanServer server;
    static Kubectl kubectl;
    static Process agent;

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.start();
        image = registry.push(TestImages.busybox(dir.resolve("layout")), "busybox:1");
        server = CapstanServer.start(dir.resolve("server"));
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kubectl != null) {
            kubectl.run("delete", "pods", "--all", "--grace-period=1", "--wait=true", "--timeout=50s");
        }
        if (agent != null) {
            agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        NodeLeftovers.clean(dir.resolve("agent"), "cpe2e1", "capstan-e2e-join");
        if (registry != null) {
            registry.close();
        }
    }

    private static Process agent(String token) throws Exception {
        List<String> command = new ArrayList<>(List.of(CapstanServer.javaBinary(), "-Xmx256m", "-jar", System.getProperty("capstan.jar"),
                "agent", "--server", "https://127.0.0.1:" + server.port(), "--token", token, "--data-dir", dir.resolve("agent").toString(),
                "--node-name", "joined", "--agent-port", "0", "--cni-bridge", "cpe2e1", "--pod-cidr", "10.196.0.0/24",
                "--cgroup-root", "capstan-e2e-join", "--disable-kube-proxy", "--disable-ingress"));
        Files.createDirectories(dir.resolve("agent"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile())).start();
    }

    @Test
    void aWrongTokenIsRefusedWithAClearMessage() throws Exception {
        String real = Files.readString(server.dataDir().resolve("node-token")).trim();
        Process wrong = agent("K10" + "0".repeat(64) + real.substring(real.indexOf("::")));
        assertThat(wrong.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("agent.log"), StandardCharsets.UTF_8)).contains("does not match the join token");
    }

    @Test
    void anAgentJoinsWithTheNodeTokenAndRunsPods() throws Exception {
        Path token = server.dataDir().resolve("node-token");
        assertThat(Files.getPosixFilePermissions(token).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        agent = agent(Files.readString(token).trim());
        await().atMost(Duration.ofSeconds(90)).until(() -> kubectl.run("get", "node", "joined",
                "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
        kubectl.run("run", "hello", "--image=" + image, "--restart=Never", "--command", "--", "sh", "-c", "echo joined; sleep 600").ok();
        await().atMost(Duration.ofSeconds(90)).until(() -> kubectl.run("get", "pod", "hello", "-o", "jsonpath={.status.phase}").out()
                .equals("Running"));
        assertThat(kubectl.run("get", "pod", "hello", "-o", "jsonpath={.spec.nodeName}").ok().out()).isEqualTo("joined");
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "hello").out().equals("joined\n"));
    }
}
