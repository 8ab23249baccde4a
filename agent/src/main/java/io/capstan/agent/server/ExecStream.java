package io.capstan.agent.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.runtime.ExecSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec (or attach) session on a WebSocket, as the kubelet serves it: stdout and stderr go out on their
 * channels as they come, stdin and resizes come in, and when the command ends its exit status goes out
 * on the error channel and the socket closes. The client leaving kills the command.
 * (Public only because Jetty calls the listener methods through method handles.)
 */
public final class ExecStream implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(ExecStream.class);

    /** What the client asked for. */
    record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

    private final ExecSession exec;
    private final Streams streams;
    private final ReentrantLock sending = new ReentrantLock();
    private volatile Session session;

    ExecStream(ExecSession exec, Streams streams) {
        this.exec = exec;
        this.streams = streams;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.addIdleTimeoutListener(timeout -> false); // the command's end closes the socket, not silence
        if (!streams.stdin()) {
            closeStdin();
        }
        Thread.ofVirtual().name("exec").start(this::run);
    }

    private void run() {
        try {
            // As the kubelet does: an empty message on the lowest writable channel says the streams are ready.
            send(streams.stdout() ? StreamProtocol.STDOUT : streams.stderr() ? StreamProtocol.STDERR : StreamProtocol.ERROR,
                    new byte[0], 0);
            List<Thread> pumps = new ArrayList<>();
            pumps.add(pump(exec.stdout(), StreamProtocol.STDOUT, streams.stdout()));
            if (!streams.tty()) {
                pumps.add(pump(exec.stderr(), StreamProtocol.STDERR, streams.stderr()));
            }
            int code = exec.waitFor();
            for (Thread pump : pumps) {
                pump.join();
            }
            ObjectNode status = code == 0 ? AgentStatus.success() : AgentStatus.exitCode(code);
            byte[] json = Json.bytes(status);
            send(StreamProtocol.ERROR, json, json.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.debug("exec stream ended: {}", e.toString());
            try {
                byte[] json = Json.bytes(AgentStatus.internalError(e.getMessage() == null ? e.toString() : e.getMessage()));
                send(StreamProtocol.ERROR, json, json.length);
            } catch (IOException ignored) {
                // the client is gone
            }
        } finally {
            exec.close();
            Session s = session;
            if (s != null && s.isOpen()) {
                s.close(1000, null, Callback.NOOP);
            }
        }
    }

    /** Copies one output of the command to its channel; what the client did not ask for is read and dropped. */
    private Thread pump(InputStream in, byte channel, boolean wanted) {
        return Thread.ofVirtual().name("exec-out-" + channel).start(() -> {
            byte[] buffer = new byte[32 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (wanted && n > 0) {
                        send(channel, buffer, n);
                    }
                }
            } catch (IOException e) {
                LOG.debug("exec output {} ended: {}", channel, e.toString());
            }
        });
    }

    private void send(byte channel, byte[] data, int length) throws IOException {
        Session s = session;
        ByteBuffer message = ByteBuffer.allocate(length + 1);
        message.put(channel).put(data, 0, length).flip();
        sending.lock();
        try {
            WebSocketSends.sendBinary(s, message);
        } finally {
            sending.unlock();
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (payload.hasRemaining()) {
                byte channel = payload.get();
                switch (channel) {
                    case StreamProtocol.STDIN -> writeStdin(payload);
                    case StreamProtocol.RESIZE -> resize(payload);
                    case StreamProtocol.CLOSE -> {
                        if (payload.hasRemaining() && payload.get() == StreamProtocol.STDIN) {
                            closeStdin();
                        }
                    }
                    default -> LOG.debug("ignoring a message on channel {}", channel);
                }
            }
            callback.succeed();
        } catch (RuntimeException e) {
            callback.fail(e);
        }
    }

    private void writeStdin(ByteBuffer payload) {
        if (!streams.stdin()) {
            return;
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        OutputStream in = exec.stdin();
        try {
            in.write(bytes);
            in.flush();
        } catch (IOException e) {
            // The command has stopped reading (or ended): drop the input, as the kubelet does, so its status still goes out.
            LOG.debug("exec stdin closed: {}", e.toString());
        }
    }

    private void resize(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        try {
            JsonNode size = Json.MAPPER.readTree(bytes);
            exec.resize(size.path("Width").asInt(), size.path("Height").asInt());
        } catch (IOException e) {
            LOG.debug("ignoring a malformed resize: {}", e.toString());
        }
    }

    private void closeStdin() {
        try {
            exec.stdin().close();
        } catch (IOException e) {
            LOG.debug("closing stdin: {}", e.toString());
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        exec.close();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        exec.close();
    }
}
