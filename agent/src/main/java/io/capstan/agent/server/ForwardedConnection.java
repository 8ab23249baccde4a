package io.capstan.agent.server;

import io.capstan.agent.spdy.SpdyFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection of a port-forward session: its error and data streams and, once both are open,
 * the socket to the pod's port. The client's bytes wait in a queue until the socket is connected; the
 * pod's go out as data frames. The pod closing its side ends both streams (a FIN each), as the kubelet does.
 */
final class ForwardedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardedConnection.class);
    private static final byte[] FIN = new byte[0];
    private static final int CHUNK = 32 * 1024;

    private final PortForwardSession session;
    private final String requestId;
    private final BlockingQueue<byte[]> fromClient = new LinkedBlockingQueue<>();
    private int errorStream;
    private int dataStream;
    private int port;
    private volatile PodConnection socket;
    private volatile boolean closed;

    ForwardedConnection(PortForwardSession session, String requestId) {
        this.session = session;
        this.requestId = requestId;
    }

    String requestId() {
        return requestId;
    }

    /** Adds a stream; the kubelet's complaint when the pair has one of this type already, else null. */
    synchronized String add(int streamId, String type, int port) {
        if (type.equals(PortForwardHeaders.ERROR)) {
            if (errorStream != 0) {
                return "error stream already assigned";
            }
            errorStream = streamId;
        } else {
            if (dataStream != 0) {
                return "data stream already assigned";
            }
            dataStream = streamId;
            this.port = port;
        }
        return null;
    }

    synchronized boolean complete() {
        return errorStream != 0 && dataStream != 0;
    }

    /** Bytes from the client on one of the streams; only the data stream's go to the pod. */
    void fromClient(int streamId, byte[] data, boolean fin) {
        if (streamId != dataStream || closed) {
            return; // kubectl half-closes the error stream at once and never writes to it
        }
        if (data.length > 0) {
            fromClient.add(data);
        }
        if (fin) {
            fromClient.add(FIN);
        }
    }

    /** Dials the pod's port and copies both ways until the pod closes or the client goes. */
    void forward(PodDialer dialer) {
        try {
            socket = dialer.dial(port);
        } catch (IOException e) {
            printError("error forwarding port " + port + " to pod " + dialer.describe() + ": " + e.getMessage());
            return;
        }
        if (closed) {
            close();
            return;
        }
        Thread writer = Thread.ofVirtual().name("portforward-in-" + requestId).start(this::copyToPod);
        try (InputStream in = socket.input()) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    session.send(new SpdyFrame.Data(dataStream, false, java.util.Arrays.copyOf(buffer, n)));
                }
            }
            String failure = socket.failure();
            if (failure != null) {
                printError("error forwarding port " + port + " to pod " + dialer.describe() + ": " + failure);
                return;
            }
            session.send(new SpdyFrame.Data(dataStream, true, new byte[0]));
            session.send(new SpdyFrame.Data(errorStream, true, new byte[0]));
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("port-forward {} to port {} ended: {}", requestId, port, e.toString());
            }
        } finally {
            writer.interrupt();
            close();
        }
    }

    private void copyToPod() {
        try {
            OutputStream out = socket.output();
            byte[] next;
            while ((next = fromClient.take()) != FIN) {
                out.write(next);
                out.flush();
            }
            socket.shutdownOutput(); // the client has finished sending: the pod reads its end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("port-forward {}: writing to the pod failed: {}", requestId, e.toString());
        }
    }

    /** Writes the message on the error stream (kubectl prints it) and ends both streams. */
    void printError(String message) {
        LOG.debug("port-forward {}: {}", requestId, message);
        try {
            int error;
            int data;
            synchronized (this) {
                error = errorStream;
                data = dataStream;
            }
            if (error != 0) {
                session.send(new SpdyFrame.Data(error, false, PortForwardSession.utf8(message)));
                session.send(new SpdyFrame.Data(error, true, new byte[0]));
            }
            if (data != 0) {
                session.send(new SpdyFrame.Data(data, true, new byte[0]));
            }
        } catch (IOException e) {
            LOG.debug("port-forward {}: could not report the error: {}", requestId, e.toString());
        }
        close();
    }

    /** Drops the socket and the streams (the client reset them, the session ended, or the pod closed). */
    void close() {
        closed = true;
        fromClient.add(FIN);
        PodConnection s = socket;
        if (s != null) {
            s.close();
        }
        session.forget(this);
    }
}
