package io.capstan.network.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts TCP connections on one address and splices each to an endpoint the balancer picks, a virtual thread per direction. */
final class TcpForwarder implements Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(TcpForwarder.class);
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final ServerSocket server;
    private final Balancer balancer;

    TcpForwarder(InetSocketAddress listen, Balancer balancer) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 512);
        this.balancer = balancer;
        Thread.ofVirtual().name("userspace-proxy-tcp-" + listen.getPort()).start(this::accept);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("userspace proxy accept on {}: {}", server.getLocalSocketAddress(), e.toString());
                }
            }
        }
    }

    private void serve(Socket client) {
        Endpoint e = balancer.pick(client.getInetAddress());
        if (e == null) {
            close(client); // no endpoints: the client sees the connection end at once, as iptables' REJECT
            return;
        }
        Socket backend = new Socket();
        try {
            backend.connect(new InetSocketAddress(e.ip(), e.port()), CONNECT_TIMEOUT_MS);
        } catch (IOException ex) {
            LOG.debug("userspace proxy: {} unreachable: {}", e.address(), ex.toString());
            close(client);
            close(backend);
            return;
        }
        Thread back = Thread.ofVirtual().start(() -> pipe(backend, client));
        pipe(client, backend);
        try {
            back.join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        close(client);
        close(backend);
    }

    /** Copies until from's side ends, then half-closes to; an error aborts both sockets. */
    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
