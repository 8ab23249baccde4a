package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reaching a pod from outside through the API server with the real kubectl: port-forward (SPDY tunnelled in
 * WebSocket, relayed to the agent) to pod/, svc/ and deploy/ forms, and the proxy subresources.
 */
class PortForwardTest {

    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

    @TempDir
    static Path dir;
    static AgentCluster cluster;
    static Kubectl kubectl;
    static String pod;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        kubectl = cluster.kubectl;
        cluster.namespace("pf");
        cluster.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: pf}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: httpd
                        image: IMAGE
                        command:
                        - sh
                        - -c
                        - |
                          mkdir -p /www/cgi-bin
                          echo hello from $(hostname) > /www/index.html
                          printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho "$REQUEST_METHOD $QUERY_STRING"\\nhead -c "$CONTENT_LENGTH"\\n' > /www/cgi-bin/echo
                          chmod +x /www/cgi-bin/echo
                          httpd -p 127.0.0.1:8081 -h /www
                          exec httpd -f -p 8080 -h /www
                        ports: [{name: http, containerPort: 8080}]
                        readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: pf}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: manual, namespace: pf}
                spec:
                  ports: [{name: http, port: 80, targetPort: 8080}]
                """);
        kubectl.run("rollout", "status", "deployment/web", "-n", "pf", "--timeout=90s").ok();
        pod = kubectl.run("get", "pods", "-n", "pf", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").ok().out();
        String ip = cluster.pod("pf", pod).path("status").path("podIP").asText();
        // A Service without a selector and its EndpointSlice by hand, whatever endpoints controller runs.
        cluster.apply("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: manual-1, namespace: pf, labels: {kubernetes.io/service-name: manual}}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints: [{addresses: [IP], conditions: {ready: true}}]
                """.replace("IP", ip));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twentyConcurrentConnectionsThroughPortForwardToAPod() throws Exception {
        try (Forward forward = Forward.start("pod/" + pod, ":8080")) {
            assertThat(forward.remotePort).isEqualTo(8080);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> fetches = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fetches.add(threads.submit(() -> {
                    go.await();
                    return fetch(forward.localPort, "/index.html");
                }));
            }
            go.countDown();
            for (Future<String> f : fetches) {
                assertThat(f.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.").endsWith("hello from " + pod + "\n");
            }
            threads.close();
            // Interrupted as by Ctrl-C, kubectl closes its connections and ends without an error.
            forward.interrupt();
            assertThat(forward.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(forward.process.exitValue()).as(forward.stderr()).isZero();
        }
    }

    @Test
    void aPortBoundOnlyToThePodsLoopbackIsReachedInsideItsNetworkNamespace() throws Exception {
        try (Forward forward = Forward.start("pod/" + pod, ":8081")) {
            assertThat(fetch(forward.localPort, "/index.html")).startsWith("HTTP/1.").endsWith("hello from " + pod + "\n");
        }
    }

    @Test
    void serviceAndDeploymentFormsResolveToAPod() throws Exception {
        // svc/web :80 is the service port; kubectl forwards to its target port (named "http", 8080) on a selected pod.
        try (Forward forward = Forward.start("svc/web", ":80")) {
            assertThat(forward.remotePort).isEqualTo(8080);
            assertThat(fetch(forward.localPort, "/index.html")).endsWith("hello from " + pod + "\n");
        }
        try (Forward forward = Forward.start("deploy/web", ":8080")) {
            assertThat(fetch(forward.localPort, "/index.html")).endsWith("hello from " + pod + "\n");
        }
    }

    @Test
    void anUnreachablePortIsReportedOnTheErrorStream() throws Exception {
        try (Forward forward = Forward.start("pod/" + pod, ":9999")) {
            assertThat(fetch(forward.localPort, "/")).isEmpty();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(forward.stderr())
                    .contains("an error occurred forwarding " + forward.localPort + " -> 9999")
                    .contains("error forwarding port 9999 to pod " + pod + ", uid ")
                    .contains("connect: connection refused"));
        }
    }

    @Test
    void aPodThatIsNotRunningIsRefused() throws Exception {
        kubectl.run("run", "nowhere", "-n", "pf", "--image=" + cluster.image, "--overrides",
                "{\"spec\":{\"nodeSelector\":{\"no-such-label\":\"x\"}}}").ok();
        Kubectl.Result r = kubectl.run("port-forward", "-n", "pf", "pod/nowhere", ":8080");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("unable to forward port because pod is not running. Current status=Pending");
    }

    @Test
    void thePodProxyForwardsPathQueryAndBody() throws Exception {
        String base = "/api/v1/namespaces/pf/pods/" + pod + ":8080/proxy";
        assertThat(kubectl.run("get", "--raw", base + "/index.html").ok().out()).isEqualTo("hello from " + pod + "\n");
        // Without a port the pod's first declared container port is used.
        assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/pf/pods/" + pod + "/proxy/index.html").ok().out())
                .isEqualTo("hello from " + pod + "\n");
        // kubectl create --raw sends its body chunked, which busybox's CGI does not read: only the method and query arrive.
        Path body = dir.resolve("body.txt");
        java.nio.file.Files.writeString(body, "posted through the API server");
        assertThat(kubectl.run("create", "--raw", base + "/cgi-bin/echo?x=1&y=two", "-f", body.toString()).ok().out())
                .startsWith("POST x=1&y=two\n");
    }

    @Test
    void theServiceProxyReachesAReadyEndpointThroughKubectlProxy() throws Exception {
        Process proxy = kubectl.start("proxy", "--port=0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("Starting to serve on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(out.readLine()));
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            // Port 80 is the service port named "http"; the EndpointSlice's port of that name is 8080.
            assertThat(fetch(port, "/api/v1/namespaces/pf/services/manual:80/proxy/index.html"))
                    .startsWith("HTTP/1.").contains(" 200 OK").endsWith("hello from " + pod + "\n");
            assertThat(fetch(port, "/api/v1/namespaces/pf/services/http:manual:http/proxy/index.html")).endsWith("hello from " + pod + "\n");
            // A body with a Content-Length goes on with it (the port by name: without one only an unnamed port matches).
            assertThat(request(port, "POST /api/v1/namespaces/pf/services/manual:http/proxy/cgi-bin/echo?a=b HTTP/1.0\r\nHost: localhost\r\n"
                    + "Content-Length: 9\r\n\r\nthe body!")).endsWith("\r\n\r\nPOST a=b\nthe body!");
        } finally {
            proxy.destroyForcibly();
        }
        Kubectl.Result noPort = kubectl.run("get", "--raw", "/api/v1/namespaces/pf/services/manual:81/proxy/");
        assertThat(noPort.err()).contains("no service port 81 found for service \"manual\"");
        Kubectl.Result refused = kubectl.run("get", "--raw", "/api/v1/namespaces/pf/pods/" + pod + ":9999/proxy/");
        assertThat(refused.err()).contains("error trying to reach service: dial tcp ").contains(":9999: connect: connection refused");
    }

    @Test
    void theNodeProxyReachesTheAgent() throws Exception {
        String node = kubectl.run("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").ok().out();
        String summary = kubectl.run("get", "--raw", "/api/v1/nodes/" + node + "/proxy/stats/summary").ok().out();
        assertThat(AgentCluster.JSON.readTree(summary).path("node").path("nodeName").asText()).isEqualTo(node);
    }

    /** An HTTP/1.0 GET on a connection of its own: the whole answer, or "" when the connection is closed at once. */
    static String fetch(int port, String path) throws IOException {
        return request(port, "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n");
    }

    /** A raw request on a connection of its own, read to the end. */
    static String request(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A running kubectl port-forward: its ports once it says "Forwarding from", its stderr so far. */
    static final class Forward implements AutoCloseable {
        final Process process;
        final int localPort;
        final int remotePort;
        private final List<String> errors;

        private Forward(Process process, int localPort, int remotePort, List<String> errors) {
            this.process = process;
            this.localPort = localPort;
            this.remotePort = remotePort;
            this.errors = errors;
        }

        static Forward start(String target, String ports) throws Exception {
            Process p = kubectl.start("port-forward", "-n", "pf", target, ports);
            List<String> errors = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    err.lines().forEach(errors::add);
                } catch (IOException | java.io.UncheckedIOException ignored) {
                    // the process ended
                }
            });
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = FORWARDING.matcher(line);
                if (m.find()) {
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                    return new Forward(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), errors);
                }
            }
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("kubectl port-forward " + target + " did not start: " + String.join("\n", errors));
        }

        String stderr() {
            return String.join("\n", errors);
        }

        /** SIGINT, as Ctrl-C sends it (kubectl stops cleanly on that signal). */
        void interrupt() throws Exception {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
