package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.capstan.agent.server.AgentServer;
import io.capstan.agent.server.FakePodStreams;
import io.capstan.apiserver.tls.ClusterCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl logs and exec through the real server to an agent: a stub AgentServer in this JVM (files for logs,
 * local processes for exec) registered as a Node the pods are bound to.
 */
class KubectlStreamsTest {

    @TempDir
    static Path dir;
    static CapstanServer server;
    static AgentServer agent;
    static Kubectl kubectl;
    static final FakePodStreams pods = new FakePodStreams();

    @BeforeAll
    static void start() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--disable-scheduler", "--disable-controller-manager");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        // The agent trusts the cluster CA for the API server's client certificate; its own serving certificate comes from the same CA.
        ClusterCertificates certs = ClusterCertificates.loadOrCreate(server.dataDir().resolve("tls"), List.of());
        char[] password = "agent".toCharArray();
        agent = new AgentServer(new AgentServer.Config("127.0.0.1", 0,
                certs.servingKeyStore("stub-node", List.of("127.0.0.1"), Duration.ofDays(1), password), password, certs.trustStore()), pods);
        agent.start();

        kubectl.runWithInput("""
                apiVersion: v1
                kind: Node
                metadata: {name: stub-node}
                """, "apply", "-f", "-").ok();
        Api api = new Api(server);
        Api.Answer status = api.send("PATCH", "/api/v1/nodes/stub-node/status", "application/merge-patch+json", """
                {"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"},{"type":"Hostname","address":"stub-node"}],
                 "daemonEndpoints":{"kubeletEndpoint":{"Port":%d}}}}""".formatted(agent.port()).getBytes(StandardCharsets.UTF_8));
        assertThat(status.code()).as(status.body()).isEqualTo(200);

        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  nodeName: stub-node
                  containers:
                  - {name: app, image: busybox}
                  - {name: sidecar, image: busybox}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: follow}
                spec:
                  nodeName: stub-node
                  containers:
                  - {name: c, image: busybox}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: pending}
                spec:
                  containers:
                  - {name: c, image: busybox}
                """, "apply", "-f", "-").ok();
        Files.writeString(dir.resolve("app.log"), """
                2024-05-01T10:00:01.000000001Z stdout F one
                2024-05-01T10:00:02Z stderr F two
                2024-05-01T10:00:03Z stdout P thr
                2024-05-01T10:00:03Z stdout F ee
                """);
        Files.writeString(dir.resolve("app-previous.log"), "2024-04-30T00:00:00Z stdout F before the restart\n");
        Files.writeString(dir.resolve("sidecar.log"), "2024-05-01T10:00:00Z stdout F sidecar says hi\n");
        pods.container("default", "p", "app", dir.resolve("app.log"), dir.resolve("app-previous.log"), true);
        pods.container("default", "p", "sidecar", dir.resolve("sidecar.log"), null, true);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void logsShowTheContainersOutput() throws Exception {
        Kubectl.Result defaulted = kubectl.run("logs", "p").ok();
        assertThat(defaulted.out()).isEqualTo("one\ntwo\nthree\n");
        assertThat(defaulted.err()).contains("Defaulted container \"app\" out of: app, sidecar");
        assertThat(kubectl.run("logs", "p", "-c", "sidecar").ok().out()).isEqualTo("sidecar says hi\n");
        assertThat(kubectl.run("logs", "p", "-c", "app", "--tail=2").ok().out()).isEqualTo("two\nthree\n");
        assertThat(kubectl.run("logs", "p", "-c", "app", "--timestamps").ok().out()).isEqualTo("""
                2024-05-01T10:00:01.000000001Z one
                2024-05-01T10:00:02.000000000Z two
                2024-05-01T10:00:03.000000000Z three
                """);
        assertThat(kubectl.run("logs", "p", "-c", "app", "--previous").ok().out()).isEqualTo("before the restart\n");
        assertThat(kubectl.run("logs", "p", "-c", "app", "--limit-bytes=5").ok().out()).isEqualTo("one\nt");
        assertThat(kubectl.run("logs", "p", "-c", "app", "--since-time=2024-05-01T10:00:02Z").ok().out()).isEqualTo("two\nthree\n");
        assertThat(kubectl.run("logs", "p", "-c", "app", "--since=1h").ok().out()).isEmpty(); // written in 2024
        // kubectl reads the containers' logs side by side: each container's lines stay in order, the two may interleave.
        List<String> lines = kubectl.run("logs", "p", "--all-containers", "--prefix").ok().out().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("[pod/p/app]")).toList())
                .containsExactly("[pod/p/app] one", "[pod/p/app] two", "[pod/p/app] three");
        assertThat(lines).contains("[pod/p/sidecar] sidecar says hi").hasSize(4);
    }

    @Test
    void logsFailuresReadLikeKubernetes() throws Exception {
        Kubectl.Result previous = kubectl.run("logs", "p", "-c", "sidecar", "--previous");
        assertThat(previous.exit()).isNotZero();
        assertThat(previous.err()).contains("previous terminated container \"sidecar\" in pod \"p\" not found");
        Kubectl.Result unknown = kubectl.run("logs", "p", "-c", "nope");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("container nope is not valid for pod p");
        Kubectl.Result negative = kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/p/log?container=app&tailLines=-1");
        assertThat(negative.exit()).isNotZero();
        assertThat(negative.err()).contains("tailLines: Invalid value: -1: must be greater than or equal to 0");
        Kubectl.Result missing = kubectl.run("logs", "ghost");
        assertThat(missing.err()).contains("pods \"ghost\" not found");
    }

    @Test
    void logsFollowSeesNewLinesAndEndsWithTheContainer() throws Exception {
        Path log = dir.resolve("follow.log");
        Files.writeString(log, "2024-05-01T10:00:00Z stdout F started\n");
        pods.container("default", "follow", "c", log, null, true);
        try (Kubectl.Following following = kubectl.follow("logs", "-f", "follow")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> following.lines().equals(List.of("started")));
            Files.writeString(log, "2024-05-01T10:00:05Z stdout F a line written later\n", StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(10)).until(() -> following.lines().equals(List.of("started", "a line written later")));
            assertThat(following.process().isAlive()).isTrue();
            pods.running("default", "follow", "c", false);
            await().atMost(Duration.ofSeconds(10)).until(() -> !following.process().isAlive());
            assertThat(following.process().exitValue()).isZero();
        }
    }

    @Test
    void execReturnsTheCommandsExitCode() throws Exception {
        Kubectl.Result result = kubectl.run("exec", "p", "-c", "app", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.out()).isEqualTo("out\n");
        assertThat(result.err()).contains("err\n");
        Kubectl.Result quiet = kubectl.run("exec", "p", "-c", "app", "--", "true");
        assertThat(quiet.exit()).as(quiet.err()).isZero();
    }

    @Test
    void execPassesStdinThrough() throws Exception {
        assertThat(kubectl.runWithInput("hi\n", "exec", "-i", "p", "-c", "app", "--", "cat").ok().out()).isEqualTo("hi\n");
    }

    @Test
    void execFailuresReadLikeKubernetes() throws Exception {
        Kubectl.Result unknown = kubectl.run("exec", "p", "-c", "nope", "--", "true");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("container nope is not valid for pod p");
        Kubectl.Result pending = kubectl.run("exec", "pending", "--", "true");
        assertThat(pending.exit()).isNotZero();
        assertThat(pending.err()).contains("pod pending does not have a host assigned");
    }
}
