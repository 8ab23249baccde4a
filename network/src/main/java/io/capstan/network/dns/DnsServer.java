package io.capstan.network.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over UDP and TCP on one address and port: one thread receives datagrams, each query is answered on a
 * virtual thread (a forwarded one waits on the upstream); TCP connections carry length-prefixed queries until idle.
 */
final class DnsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    private static final int TCP_IDLE_MILLIS = 10_000;
    private static final int BIND_ATTEMPTS = 20;

    private final DnsHandler handler;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;

    private DnsServer(DnsHandler handler, DatagramSocket udp, ServerSocket tcp) {
        this.handler = handler;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Binds UDP and TCP on address:port (port 0: any free port, the same for both) and starts serving.
     *
     * @param fallback when the port is taken, take any free port instead of failing
     */
    static DnsServer start(InetAddress address, int port, boolean fallback, DnsHandler handler) throws IOException {
        DnsServer server;
        try {
            server = bind(address, port, handler);
        } catch (BindException e) {
            if (!fallback || port == 0) {
                throw e;
            }
            LOG.info("DNS port {} on {} is taken ({}); serving on a free port instead", port, address.getHostAddress(), e.getMessage());
            server = bind(address, 0, handler);
        }
        server.run();
        return server;
    }

    private static DnsServer bind(InetAddress address, int port, DnsHandler handler) throws IOException {
        for (int attempt = 0; ; attempt++) {
            ServerSocket tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            try {
                tcp.bind(new InetSocketAddress(address, port), 128);
                DatagramSocket udp = new DatagramSocket(null);
                try {
                    udp.bind(new InetSocketAddress(address, tcp.getLocalPort()));
                } catch (BindException e) {
                    udp.close();
                    throw e;
                }
                return new DnsServer(handler, udp, tcp);
            } catch (BindException e) {
                tcp.close();
                // With any port, TCP's free port may be UDP's taken one: try another.
                if (port != 0 || attempt >= BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    private void run() {
        Thread.ofPlatform().daemon().name("dns-udp-" + tcp.getLocalPort()).start(this::receive);
        Thread.ofPlatform().daemon().name("dns-tcp-" + tcp.getLocalPort()).start(this::accept);
    }

    private void receive() {
        // One buffer for every datagram; each query gets a copy of just its bytes.
        DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
        while (!closed) {
            try {
                packet.setLength(65535);
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("DNS UDP receive failed: {}", e.getMessage());
                }
                continue;
            }
            byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            java.net.SocketAddress client = packet.getSocketAddress();
            workers.execute(() -> {
                byte[] response = handler.handle(query, query.length, true);
                if (response != null) {
                    try {
                        udp.send(new DatagramPacket(response, response.length, client));
                    } catch (IOException e) {
                        LOG.debug("DNS UDP send to {} failed: {}", client, e.getMessage());
                    }
                }
            });
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = tcp.accept();
                workers.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("DNS TCP accept failed: {}", e.getMessage());
                }
            }
        }
    }

    /** Queries one after another on one connection (RFC 7766), each prefixed by its two-byte length. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            java.io.OutputStream out = socket.getOutputStream();
            while (!closed) {
                int length = in.readUnsignedShort();
                byte[] query = in.readNBytes(length);
                if (query.length < length) {
                    return;
                }
                byte[] response = handler.handle(query, length, false);
                if (response == null) {
                    return;
                }
                // Length and message in one write: split in two, Nagle holds the second until the client's delayed ACK.
                byte[] framed = new byte[response.length + 2];
                framed[0] = (byte) (response.length >>> 8);
                framed[1] = (byte) response.length;
                System.arraycopy(response, 0, framed, 2, response.length);
                out.write(framed);
                out.flush();
            }
        } catch (EOFException | SocketException | java.net.SocketTimeoutException e) {
            // the client is done, or idle
        } catch (IOException e) {
            LOG.debug("DNS TCP connection failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
    }
}
