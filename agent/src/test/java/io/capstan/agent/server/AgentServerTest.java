package io.capstan.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.agent.stats.AgentMetrics;
import io.capstan.agent.stats.HostUsage;
import io.capstan.agent.stats.NodeStats;
import io.capstan.agent.stats.PodStats;
import io.capstan.api.Json;
import io.capstan.apiserver.tls.ClusterCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentServerTest {

    @TempDir
    static Path dir;
    static AgentServer server;
    static final FakePodStreams pods = new FakePodStreams();
    static HttpClient client;
    static ClusterCertificates certs;
    static final NodeStats stats = new NodeStats("node-1", PodStats.NONE, HostUsage.system(), java.time.InstantSource.system());

    @BeforeAll
    static void start() throws Exception {
        certs = ClusterCertificates.loadOrCreate(dir.resolve("tls"), List.of());
        char[] password = "secret".toCharArray();
        server = new AgentServer(new AgentServer.Config("127.0.0.1", 0,
                certs.servingKeyStore("node-1", List.of("127.0.0.1"), Duration.ofDays(1), password), password, certs.trustStore()), pods,
                stats, new AgentMetrics().watch(stats));
        server.start();
        client = HttpClient.newBuilder().sslContext(ssl(certs.clientKeyStore("kube-apiserver-kubelet-client",
                List.of("system:masters"), Duration.ofDays(1), password), password)).build();
        Files.writeString(dir.resolve("web.log"), """
                2024-01-01T00:00:01Z stdout F one
                2024-01-01T00:00:02Z stderr F two
                2024-01-01T00:00:03Z stdout F three
                """);
        Files.writeString(dir.resolve("web-previous.log"), "2023-12-31T00:00:00Z stdout F before the restart\n");
        pods.container("default", "p", "web", dir.resolve("web.log"), dir.resolve("web-previous.log"), true);
        pods.container("default", "p", "sidecar", dir.resolve("sidecar.log"), null, true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }


    static SSLContext ssl(KeyStore keys, char[] password) throws Exception {
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, password);
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(certs.trustStore());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(km.getKeyManagers(), tm.getTrustManagers(), null);
        return ssl;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStatsSummaryAndPrometheusMetricsAreServed() throws Exception {
        HttpResponse<String> summary = get("/stats/summary");
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode node = Json.MAPPER.readTree(summary.body()).path("node");
        assertThat(node.path("nodeName").asText()).isEqualTo("node-1");
        assertThat(node.path("cpu").path("usageCoreNanoSeconds").asLong()).isPositive();
        assertThat(node.path("memory").path("workingSetBytes").asLong()).isPositive();
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("# TYPE node_cpu_usage_seconds_total counter").contains("kubelet_running_pods 0.0");
    }

    @Test
    void logsAreServedAsTextWithTheKubeletsOptions() throws Exception {
        HttpResponse<String> all = get("/containerLogs/default/p/web");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(all.body()).isEqualTo("one\ntwo\nthree\n");
        assertThat(get("/containerLogs/default/p/web?tailLines=1&timestamps=true").body())
                .isEqualTo("2024-01-01T00:00:03.000000000Z three\n");
        assertThat(get("/containerLogs/default/p/web?previous=true").body()).isEqualTo("before the restart\n");
        assertThat(get("/containerLogs/default/p/web?sinceTime=2024-01-01T00:00:02Z&limitBytes=5").body()).isEqualTo("two\nt");
    }

    @Test
    void logFailuresCarryTheKubeletsMessages() throws Exception {
        HttpResponse<String> previous = get("/containerLogs/default/p/sidecar?previous=true");
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(previous.body()).path("message").asText())
                .isEqualTo("previous terminated container \"sidecar\" in pod \"p\" not found");
        HttpResponse<String> unknown = get("/containerLogs/default/p/nope");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("message").asText()).isEqualTo("container \"nope\" in pod \"p\" is not valid");
        assertThat(get("/containerLogs/default/ghost/web").statusCode()).isEqualTo(404);
        HttpResponse<String> negative = get("/containerLogs/default/p/web?tailLines=-1");
        assertThat(negative.statusCode()).isEqualTo(422);
        assertThat(negative.body()).contains("PodLogOptions \\\"p\\\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void followStreamsNewLinesAndEndsWhenTheContainerStops() throws Exception {
        Path log = dir.resolve("follow.log");
        Files.writeString(log, "2024-01-01T00:00:01Z stdout F first\n");
        pods.container("default", "f", "c", log, null, true);
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/containerLogs/default/f/c?follow=true")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> text(seen).equals("first\n"));
        Files.writeString(log, "2024-01-01T00:00:02Z stdout F second\n", StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> text(seen).equals("first\nsecond\n"));
        assertThat(reading).isNotDone();
        pods.running("default", "f", "c", false);
        reading.get(10, TimeUnit.SECONDS);
        assertThat(text(seen)).isEqualTo("first\nsecond\n");
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClientWithoutACertificateFromTheClusterCaIsRefused() throws Exception {
        ClusterCertificates other = ClusterCertificates.loadOrCreate(dir.resolve("other-tls"), List.of());
        char[] password = "x".toCharArray();
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(other.clientKeyStore("mallory", List.of("system:masters"), Duration.ofDays(1), password), password);
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(certs.trustStore());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(km.getKeyManagers(), tm.getTrustManagers(), null);
        HttpClient rogue = HttpClient.newBuilder().sslContext(ssl).build();
        assertThatThrownBy(() -> rogue.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/containerLogs/default/p/web")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void execRelaysStdinAndOutputAndSendsSuccess() throws Exception {
        Channels channels = exec("/exec/default/p/web?command=sh&command=-c&command=cat;echo%20err%20%3E%262&stdin=1&stdout=1&stderr=1",
                "v5.channel.k8s.io");
        assertThat(channels.socket.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
        channels.socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 'h', 'i', '\n'}), true).join();
        channels.socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).join();
        channels.closed.get(10, TimeUnit.SECONDS);
        assertThat(channels.text(1)).isEqualTo("hi\n");
        assertThat(channels.text(2)).isEqualTo("err\n");
        assertThat(Json.MAPPER.readTree(channels.text(3)).path("status").asText()).isEqualTo("Success");
    }

    @Test
    void execReportsANonZeroExitCodeAsKubectlReadsIt() throws Exception {
        Channels channels = exec("/exec/default/p/web?command=sh&command=-c&command=exit%203&stdout=1&stderr=1", "v4.channel.k8s.io");
        assertThat(channels.socket.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
        channels.closed.get(10, TimeUnit.SECONDS);
        JsonNode status = Json.MAPPER.readTree(channels.text(3));
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
        assertThat(status.path("details").path("causes").get(0).path("reason").asText()).isEqualTo("ExitCode");
        assertThat(status.path("details").path("causes").get(0).path("message").asText()).isEqualTo("3");
    }

    @Test
    void inputTheCommandNoLongerReadsIsDroppedAndTheExitStatusStillArrives() throws Exception {
        Channels channels = exec("/exec/default/p/web?command=sh&command=-c&command=exec%200%3C%26-;sleep%201;exit%204&stdin=1&stdout=1",
                "v5.channel.k8s.io");
        for (int i = 0; i < 8 && !channels.closed.isDone(); i++) {
            try {
                channels.socket.sendBinary(ByteBuffer.wrap(new byte[64 * 1024]), true).join(); // channel 0, zeros
            } catch (java.util.concurrent.CompletionException e) {
                break; // on a slow machine the command may be over (and the socket closed) before all input is sent
            }
        }
        channels.closed.get(10, TimeUnit.SECONDS);
        assertThat(Json.MAPPER.readTree(channels.text(3)).path("details").path("causes").get(0).path("message").asText()).isEqualTo("4");
    }

    @Test
    void execWithoutWebSocketOrOnAStoppedContainerIsABadRequest() throws Exception {
        HttpResponse<String> plain = get("/exec/default/p/web?command=true&stdout=1");
        assertThat(plain.statusCode()).isEqualTo(400);
        pods.container("default", "stopped", "c", dir.resolve("none.log"), null, false);
        HttpResponse<String> stopped = get("/exec/default/stopped/c?command=true&stdout=1");
        assertThat(stopped.statusCode()).isEqualTo(400);
    }

    @Test
    void attachIsRefusedByDefault() throws Exception {
        assertThatThrownBy(() -> exec("/attach/default/p/web?stdout=1", "v5.channel.k8s.io"))
                .cause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class, e -> {
                    assertThat(e.getResponse().statusCode()).isEqualTo(400);
                    assertThat(e.getResponse().body().toString()).contains("attach is not supported by this node's container runtime");
                });
    }

    /** What came back on each channel of an exec, and when the socket closed. */
    private record Channels(WebSocket socket, Map<Integer, ByteArrayOutputStream> data, CompletableFuture<Void> closed) {
        String text(int channel) {
            ByteArrayOutputStream out = data.get(channel);
            return out == null ? "" : out.toString(StandardCharsets.UTF_8);
        }
    }

    private Channels exec(String path, String subprotocol) throws Exception {
        Map<Integer, ByteArrayOutputStream> data = new ConcurrentHashMap<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().subprotocols(subprotocol)
                .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + path), new WebSocket.Listener() {
                    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer bytes, boolean last) {
                        byte[] b = new byte[bytes.remaining()];
                        bytes.get(b);
                        message.writeBytes(b);
                        if (last) {
                            byte[] whole = message.toByteArray();
                            message.reset();
                            data.computeIfAbsent(whole[0] & 0xff, c -> new ByteArrayOutputStream()).write(whole, 1, whole.length - 1);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(null);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        return new Channels(socket, data, closed);
    }
}
