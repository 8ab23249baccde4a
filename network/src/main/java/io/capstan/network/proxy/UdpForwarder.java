package io.capstan.network.proxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards UDP datagrams on one address: each client gets its own socket towards the endpoint picked for its first
 * datagram (a "flow", as conntrack keeps for UDP), whose replies go back to the client; idle flows end after 30 s.
 */
final class UdpForwarder implements Forwarder {

    private static final int IDLE_MS = 30_000;

    private final DatagramSocket socket;
    private final Balancer balancer;
    private final Map<SocketAddress, DatagramSocket> flows = new ConcurrentHashMap<>();

    UdpForwarder(InetSocketAddress listen, Balancer balancer) throws IOException {
        this.socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(listen);
        this.balancer = balancer;
        Thread.ofVirtual().name("userspace-proxy-udp-" + listen.getPort()).start(this::receive);
    }

    private void receive() {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                SocketAddress client = packet.getSocketAddress();
                DatagramSocket flow = flows.get(client);
                if (flow == null) {
                    Endpoint e = balancer.pick(packet.getAddress());
                    if (e == null) {
                        continue;
                    }
                    flow = new DatagramSocket();
                    flow.connect(new InetSocketAddress(e.ip(), e.port()));
                    flow.setSoTimeout(IDLE_MS);
                    flows.put(client, flow);
                    DatagramSocket f = flow;
                    Thread.ofVirtual().start(() -> replies(client, f));
                }
                flow.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength()));
            } catch (IOException e) {
                // a closed socket ends the loop; a failed send drops the datagram, as the network may
            }
        }
    }

    private void replies(SocketAddress client, DatagramSocket flow) {
        byte[] buffer = new byte[65535];
        try (flow) {
            while (!socket.isClosed()) {
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                flow.receive(reply);
                socket.send(new DatagramPacket(reply.getData(), reply.getOffset(), reply.getLength(), client));
            }
        } catch (SocketTimeoutException idle) {
            // the flow ends
        } catch (IOException e) {
            // endpoint gone or proxy closed
        } finally {
            flows.remove(client, flow);
        }
    }

    @Override
    public void close() {
        socket.close();
        flows.values().forEach(DatagramSocket::close);
    }
}
