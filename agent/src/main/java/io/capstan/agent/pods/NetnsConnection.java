package io.capstan.agent.pods;

import io.capstan.agent.server.PodConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A connection to 127.0.0.1:PORT inside a pod's network namespace, as the kubelet's CRI runtimes make one: a
 * helper ({@code nsenter --net=NETNS busybox nc 127.0.0.1 PORT}) whose stdin and stdout are the connection.
 * Used for ports a pod binds only to its loopback, which the node cannot reach through the pod's IP.
 */
final class NetnsConnection implements PodConnection {

    private final Process process;
    private final String dialError;
    private boolean received;

    private NetnsConnection(Process process, String dialError) {
        this.process = process;
        this.dialError = dialError;
    }

    /** @param dialError what to report if the helper cannot connect either (the pod IP's failure reads better than nc's) */
    static NetnsConnection open(Path netns, int port, String dialError) throws IOException {
        Process p = new ProcessBuilder("nsenter", "--net=" + netns, "busybox", "nc", "127.0.0.1", Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new NetnsConnection(p, dialError);
    }

    @Override
    public InputStream input() {
        InputStream in = process.getInputStream();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                int b = in.read();
                received |= b >= 0;
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = in.read(buffer, off, len);
                received |= n > 0;
                return n;
            }
        };
    }

    @Override
    public OutputStream output() {
        return process.getOutputStream();
    }

    @Override
    public void shutdownOutput() throws IOException {
        process.getOutputStream().close();
    }

    /** The helper ended without a byte and with an error: it could not connect. */
    @Override
    public String failure() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return !received && process.exitValue() != 0 ? dialError : null;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
