package io.capstan.agent.probes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** A tcpSocket probe: success when a connection opens within the timeout; failures worded as Go's dialer words them. */
final class TcpCheck {

    private TcpCheck() {}

    static Outcome connect(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Outcome.success("");
        } catch (IOException e) {
            return Outcome.failure(dialError(host, port, e));
        }
    }

    /** {@code dial tcp 10.0.0.5:8080: connect: connection refused}, as the kubelet reports a failed dial. */
    static String dialError(String host, int port, IOException e) {
        String address = "dial tcp " + hostPort(host, port) + ": ";
        if (e instanceof SocketTimeoutException) {
            return address + "i/o timeout";
        }
        if (e instanceof ConnectException) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            return address + "connect: " + (m.contains("refused") ? "connection refused" : m.contains("unreachable") ? "no route to host" : m);
        }
        if (e instanceof UnknownHostException) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        return address + e.getMessage();
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
