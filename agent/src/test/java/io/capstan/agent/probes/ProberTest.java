package io.capstan.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProberTest {

    private HttpServer server;
    private int port;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final List<String> execs = new ArrayList<>();
    private ExecRunner.ExecResult execResult = new ExecRunner.ExecResult(0, "ok", false);
    private final Prober prober = new Prober((id, cmd, timeout) -> {
        execs.add(id + " " + cmd + " " + timeout);
        if (execResult == null) {
            throw new IllegalStateException("container not running");
        }
        return execResult;
    }, "1.32");
    private final ContainerSnapshot target = new ContainerSnapshot("c1", Instant.now(), false, "127.0.0.1", false, false, false);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().toString();
            seen.put("path", path);
            seen.put("host", ex.getRequestHeaders().getFirst("Host"));
            seen.put("agent", ex.getRequestHeaders().getFirst("User-Agent"));
            seen.put("accept", ex.getRequestHeaders().getFirst("Accept"));
            seen.put("custom", String.valueOf(ex.getRequestHeaders().getFirst("X-Custom")));
            int status = 200;
            if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring(8));
            } else if (path.startsWith("/hop/")) {
                int n = Integer.parseInt(path.substring(5));
                ex.getResponseHeaders().add("Location", n == 0 ? "/healthz" : "/hop/" + (n - 1));
                status = 302;
            } else if (path.equals("/away")) {
                ex.getResponseHeaders().add("Location", "http://example.invalid/");
                status = 301;
            }
            byte[] body = ("body of " + path).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Container container() {
        return new ContainerBuilder().withName("app").addNewPort().withName("http").withContainerPort(port).endPort().build();
    }

    private Outcome http(String path) {
        return prober.run(new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(port)).endHttpGet().withTimeoutSeconds(10).build(), container(), target);
    }

    @Test
    void execSucceedsOnExitZeroAndFailsWithItsOutput() {
        Probe probe = new ProbeBuilder().withNewExec().withCommand("cat", "/tmp/healthy").endExec().withTimeoutSeconds(2).build();
        assertThat(prober.run(probe, container(), target)).isEqualTo(Outcome.success("ok"));
        assertThat(execs).containsExactly("c1 [cat, /tmp/healthy] PT2S");
        execResult = new ExecRunner.ExecResult(1, "cat: can't open '/tmp/healthy': No such file or directory\n", false);
        Outcome failed = prober.run(probe, container(), target);
        assertThat(failed.kind()).isEqualTo(Outcome.Kind.FAILURE);
        assertThat(failed.event(ProbeType.LIVENESS).message())
                .isEqualTo("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
        execResult = new ExecRunner.ExecResult(-1, "", true);
        assertThat(prober.run(probe, container(), target)).isEqualTo(Outcome.failure("command \"cat /tmp/healthy\" timed out"));
    }

    @Test
    void execThatCannotRunIsAnErrorTriedThreeTimes() {
        execResult = null;
        Outcome outcome = prober.run(new ProbeBuilder().withNewExec().withCommand("true").endExec().build(), container(), target);
        assertThat(outcome).isEqualTo(Outcome.error("container not running"));
        assertThat(execs).hasSize(3);
        assertThat(outcome.event(ProbeType.READINESS).message())
                .isEqualTo("Readiness probe errored and resulted in Failure state: container not running");
    }

    @Test
    void httpGetSucceedsBelow400WithTheKubeletsHeaders() {
        assertThat(http("/healthz?full=1")).isEqualTo(Outcome.success("body of /healthz?full=1"));
        assertThat(seen).containsEntry("path", "/healthz?full=1").containsEntry("host", "127.0.0.1:" + port)
                .containsEntry("agent", "kube-probe/1.32").containsEntry("accept", "*/*");
        assertThat(http("/status/500")).isEqualTo(Outcome.failure("HTTP probe failed with statuscode: 500"));
        assertThat(http("/status/404").kind()).isEqualTo(Outcome.Kind.FAILURE);
    }

    @Test
    void httpGetSendsTheProbesHeadersAndResolvesNamedPorts() {
        Probe probe = new ProbeBuilder().withNewHttpGet().withPath("/x").withPort(new IntOrString("http"))
                .addNewHttpHeader("Host", "example.com").addNewHttpHeader("x-custom", "yes").addNewHttpHeader("User-Agent", "mine").endHttpGet().withTimeoutSeconds(10).build();
        assertThat(prober.run(probe, container(), target)).isEqualTo(Outcome.success("body of /x"));
        assertThat(seen).containsEntry("host", "example.com").containsEntry("custom", "yes").containsEntry("agent", "mine");
        Probe unknown = new ProbeBuilder().withNewHttpGet().withPort(new IntOrString("metrics")).endHttpGet().withTimeoutSeconds(10).build();
        assertThat(prober.run(unknown, container(), target)).isEqualTo(Outcome.error("strconv.Atoi: parsing \"metrics\": invalid syntax"));
    }

    @Test
    void redirectsOnTheSameHostAreFollowedAndOthersEndInAWarning() {
        assertThat(http("/hop/3")).isEqualTo(Outcome.success("body of /healthz"));
        assertThat(http("/hop/12")).isEqualTo(Outcome.failure("Get \"http://127.0.0.1:" + port + "/hop/2\": stopped after 10 redirects"));
        Outcome away = http("/away");
        assertThat(away).isEqualTo(Outcome.warning("Probe terminated redirects, Response body: body of /away"));
        assertThat(away.result()).isEqualTo(ProbeResult.SUCCESS);
    }

    @Test
    void refusedConnectionsFailAsGoWordsThem() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Probe probe = new ProbeBuilder().withNewHttpGet().withPath("/").withPort(new IntOrString(closed)).endHttpGet().withTimeoutSeconds(10).build();
        assertThat(prober.run(probe, container(), target)).isEqualTo(Outcome.failure(
                "Get \"http://127.0.0.1:" + closed + "/\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
        Probe tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(closed)).endTcpSocket().withTimeoutSeconds(10).build();
        assertThat(prober.run(tcp, container(), target)).isEqualTo(Outcome.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
        Probe open = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("http")).endTcpSocket().withTimeoutSeconds(10).build();
        assertThat(prober.run(open, container(), target).kind()).isEqualTo(Outcome.Kind.SUCCESS);
    }

    @Test
    void slowServersTimeOut() throws IOException {
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        Outcome outcome = HttpCheck.get("HTTP", "127.0.0.1", port, "/slow", List.of(), "kube-probe/1.32", Duration.ofMillis(200));
        assertThat(outcome.output()).endsWith("context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
    }
}
