package io.capstan.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.agent.spdy.SpdyCodec;
import io.capstan.agent.spdy.SpdyFrame;
import io.capstan.api.StatusException;
import io.capstan.apiserver.tls.ClusterCertificates;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's port-forward over a real WebSocket, spoken to as kubectl's spdystream would, with a local echo server as the pod. */
class PortForwardSessionTest {

    @TempDir
    static Path dir;
    static AgentServer server;
    static HttpClient client;
    static ServerSocket echo;
    static int closedPort;

    /** Only port-forward: pod "p" dials 127.0.0.1. */
    static final class LocalPod implements PodStreams {
        @Override
        public Path logFile(String namespace, String pod, String container, boolean previous) {
            throw StatusException.notFound("", "pods", pod);
        }

        @Override
        public boolean running(String namespace, String pod, String container) {
            return false;
        }

        @Override
        public ExecSession exec(String namespace, String pod, String container, ExecSpec spec) {
            throw StatusException.notFound("", "pods", pod);
        }

        @Override
        public PodDialer portForward(String namespace, String pod) {
            if (!pod.equals("p")) {
                throw StatusException.notFound("", "pods", pod);
            }
            return new PodDialer() {
                @Override
                public String describe() {
                    return "p, uid u1";
                }

                @Override
                public PodConnection dial(int port) throws IOException {
                    try {
                        return PodConnection.of(new Socket("127.0.0.1", port));
                    } catch (IOException e) {
                        throw new IOException("dial tcp4 127.0.0.1:" + port + ": connect: connection refused", e);
                    }
                }
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ClusterCertificates certs = ClusterCertificates.loadOrCreate(dir.resolve("tls"), List.of());
        char[] password = "secret".toCharArray();
        server = new AgentServer(new AgentServer.Config("127.0.0.1", 0,
                certs.servingKeyStore("node-1", List.of("127.0.0.1"), Duration.ofDays(1), password), password, certs.trustStore()),
                new LocalPod());
        server.start();
        AgentServerTest.certs = certs;
        client = HttpClient.newBuilder().sslContext(AgentServerTest.ssl(certs.clientKeyStore("kube-apiserver-kubelet-client",
                List.of("system:masters"), Duration.ofDays(1), password), password)).build();
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(PortForwardSessionTest::serveEcho);
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once closed
        }
    }

    /** Reads until the client half-closes, then answers "echo:" and what it read, and closes. */
    private static void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        byte[] all = s.getInputStream().readAllBytes();
                        s.getOutputStream().write(("echo:" + new String(all, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    } catch (IOException ignored) {
                        // the test ended the connection
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        echo.close();
    }

    /** A client side of the session: frames out through one codec, frames in through another. */
    private static final class Client implements WebSocket.Listener, AutoCloseable {
        final MessageInput in = new MessageInput();
        final SpdyCodec out = new SpdyCodec();
        final SpdyCodec reader = new SpdyCodec();
        WebSocket socket;

        static Client open(String pod) throws Exception {
            Client c = new Client();
            c.socket = client.newWebSocketBuilder().subprotocols(PortForwardSession.SPDY)
                    .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/portForward/default/" + pod), c).get(10, TimeUnit.SECONDS);
            return c;
        }

        void send(SpdyFrame frame) throws Exception {
            socket.sendBinary(ByteBuffer.wrap(out.encode(frame)), true).get(10, TimeUnit.SECONDS);
        }

        SpdyFrame next() throws IOException {
            return reader.read(in);
        }

        void openPair(int errorId, int dataId, int port, String requestId) throws Exception {
            send(new SpdyFrame.SynStream(errorId, 0, 0, false, Map.of("streamtype", "error", "port", Integer.toString(port), "requestid", requestId)));
            send(new SpdyFrame.Data(errorId, true, new byte[0])); // kubectl half-closes the error stream at once
            send(new SpdyFrame.SynStream(dataId, 0, 0, false, Map.of("streamtype", "data", "port", Integer.toString(port), "requestid", requestId)));
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            try {
                in.add(data);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            in.end();
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    @Test
    void bytesFlowBothWaysAndThePodClosingEndsBothStreams() throws Exception {
        try (Client c = Client.open("p")) {
            c.openPair(1, 3, echo.getLocalPort(), "0");
            assertThat(c.next()).isEqualTo(new SpdyFrame.SynReply(1, false, Map.of()));
            assertThat(c.next()).isEqualTo(new SpdyFrame.SynReply(3, false, Map.of()));
            c.send(new SpdyFrame.Data(3, false, "hello ".getBytes(StandardCharsets.UTF_8)));
            c.send(new SpdyFrame.Data(3, true, "pod".getBytes(StandardCharsets.UTF_8))); // the client is done sending
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            List<Integer> finished = new ArrayList<>();
            while (finished.size() < 2) {
                SpdyFrame.Data d = (SpdyFrame.Data) c.next();
                if (d.streamId() == 3) {
                    received.writeBytes(d.data());
                } else {
                    assertThat(d.data()).as("nothing on the error stream").isEmpty();
                }
                if (d.fin()) {
                    finished.add(d.streamId());
                }
            }
            assertThat(received.toString(StandardCharsets.UTF_8)).isEqualTo("echo:hello pod");
            assertThat(finished).containsExactlyInAnyOrder(1, 3);
        }
    }

    @Test
    void aPortNobodyListensOnIsReportedOnTheErrorStream() throws Exception {
        try (Client c = Client.open("p")) {
            c.openPair(1, 3, closedPort, "7");
            c.next();
            c.next();
            SpdyFrame.Data error = (SpdyFrame.Data) c.next();
            assertThat(error.streamId()).isEqualTo(1);
            assertThat(new String(error.data(), StandardCharsets.UTF_8)).isEqualTo("error forwarding port " + closedPort
                    + " to pod p, uid u1: dial tcp4 127.0.0.1:" + closedPort + ": connect: connection refused");
            // Then both streams end, as the kubelet closes them (records compare arrays by reference: compare the parts).
            for (int stream : new int[] {1, 3}) {
                SpdyFrame.Data end = (SpdyFrame.Data) c.next();
                assertThat(end.streamId()).isEqualTo(stream);
                assertThat(end.fin()).isTrue();
                assertThat(end.data()).isEmpty();
            }
        }
    }

    @Test
    void streamsWithBadHeadersAreResetAndPingsAnswered() throws Exception {
        try (Client c = Client.open("p")) {
            c.send(new SpdyFrame.SynStream(1, 0, 0, false, Map.of("streamtype", "data")));
            assertThat(c.next()).isEqualTo(new SpdyFrame.RstStream(1, SpdyFrame.CANCEL));
            c.send(new SpdyFrame.Ping(5));
            assertThat(c.next()).isEqualTo(new SpdyFrame.Ping(5));
        }
    }

    @Test
    void aPodNotOnThisNodeIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> Client.open("missing")).cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                e -> assertThat(e.getResponse().statusCode()).isEqualTo(404));
    }
}
