package io.capstan.agent.pods;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** A TCP connection to a pod's port, failing with Go's wording ("dial tcp4 ADDR: connect: connection refused"), which kubectl users know. */
final class PodPortDial {

    private static final int TIMEOUT_MILLIS = 10_000;

    private PodPortDial() {}

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            String network = address.getAddress() instanceof Inet6Address ? "tcp6" : "tcp4";
            String reason = e instanceof SocketTimeoutException ? "i/o timeout"
                    : "connect: " + String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new IOException("dial " + network + " " + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + reason, e);
        }
    }
}
