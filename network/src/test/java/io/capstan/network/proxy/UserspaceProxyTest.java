package io.capstan.network.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The userspace proxy with real sockets on loopback: three TCP endpoints that answer their name. */
class UserspaceProxyTest {

    private final List<ServerSocket> backends = new ArrayList<>();
    private final UserspaceProxy proxy = new UserspaceProxy(new ProxyConfig("node-a", List.of(), "10.42.0.0/16", "", false, Duration.ZERO));

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        for (ServerSocket s : backends) {
            s.close();
        }
    }

    private Endpoint backend(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        backends.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed
                }
            }
        });
        return new Endpoint("127.0.0.1", server.getLocalPort(), true, true, false, true);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ProxyModel model(String protocol, int nodePort, int affinity, List<Endpoint> endpoints) {
        ServicePortName name = new ServicePortName("default", "web", "", protocol);
        ServicePort port = new ServicePort(name, List.of("10.43.0.5"), 80, nodePort, List.of(), false, affinity, false, false);
        return new ProxyModel(new TreeMap<>(Map.of(ProxyModel.key(name), port)), Map.of(ProxyModel.key(name), endpoints));
    }

    private static String fetch(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aNodePortIsServedRoundRobinOverTheEndpoints() throws IOException {
        int nodePort = freePort();
        proxy.sync(model("TCP", nodePort, 0, List.of(backend("a"), backend("b"), backend("c"))));
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            hits.merge(fetch(nodePort), 1, Integer::sum);
        }
        assertThat(hits).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2, "b", 2, "c", 2));
    }

    @Test
    void clientIpAffinityKeepsTheFirstEndpoint() throws IOException {
        int nodePort = freePort();
        proxy.sync(model("TCP", nodePort, 60, List.of(backend("a"), backend("b"), backend("c"))));
        String first = fetch(nodePort);
        for (int i = 0; i < 5; i++) {
            assertThat(fetch(nodePort)).isEqualTo(first);
        }
    }

    @Test
    void withoutEndpointsTheConnectionEndsAtOnceAndAGoneServiceStopsListening() throws IOException {
        int nodePort = freePort();
        proxy.sync(model("TCP", nodePort, 0, List.of()));
        assertThat(fetch(nodePort)).isEmpty();
        assertThat(proxy.listening()).containsExactly(nodePort);
        proxy.sync(new ProxyModel(new TreeMap<>(), Map.of()));
        assertThat(proxy.listening()).isEmpty();
    }

    @Test
    void udpDatagramsAndRepliesAreForwarded() throws IOException {
        try (DatagramSocket echo = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
             DatagramSocket client = new DatagramSocket()) {
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[100];
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    echo.send(new DatagramPacket(("echo " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8), 0, 5 + p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            });
            int nodePort = freePort();
            proxy.sync(model("UDP", nodePort, 0, List.of(new Endpoint("127.0.0.1", echo.getLocalPort(), true, true, false, true))));
            client.setSoTimeout(5000);
            client.send(new DatagramPacket("hi".getBytes(StandardCharsets.UTF_8), 2, new InetSocketAddress("127.0.0.1", nodePort)));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            client.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("echo hi");
        }
    }
}
