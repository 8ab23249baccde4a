package io.capstan.agent.server;

import io.capstan.agent.spdy.SpdyCodec;
import io.capstan.agent.spdy.SpdyFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port-forward session as the kubelet serves one, on a WebSocket carrying SPDY/3.1 (subprotocol
 * {@code SPDY/3.1+portforward.k8s.io}). The client opens a pair of streams for each forwarded connection, an
 * error and a data stream with the same {@code requestID} and {@code port}; once both are there the pod's port
 * is dialled and bytes flow between it and the data stream. A failure is written to the error stream, which
 * kubectl prints. Flow control is not done: spdystream, kubectl's side, neither sends nor honours it.
 * (Public only because Jetty calls the listener methods through method handles.)
 */
public final class PortForwardSession implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(PortForwardSession.class);
    /** What kubectl asks for; the API server, whose WebSocket client cannot send a "/" there, asks for {@link #SPDY}. */
    static final String SUBPROTOCOL = "SPDY/3.1+portforward.k8s.io";
    static final String SPDY = "portforward.k8s.io";
    static final List<String> SUBPROTOCOLS = List.of(SUBPROTOCOL, SPDY);

    private final PodDialer dialer;
    private final MessageInput input = new MessageInput();
    private final SpdyCodec codec = new SpdyCodec();
    private final ReentrantLock sending = new ReentrantLock();
    /** Forwarded connections by requestID, and the same by stream id. */
    private final Map<String, ForwardedConnection> byRequest = new ConcurrentHashMap<>();
    private final Map<Integer, ForwardedConnection> byStream = new ConcurrentHashMap<>();
    private volatile Session session;
    private volatile boolean ended;

    PortForwardSession(PodDialer dialer) {
        this.dialer = dialer;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.addIdleTimeoutListener(timeout -> false); // forwarded connections may be quiet for long
        Thread.ofVirtual().name("portforward").start(this::readFrames);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            input.add(payload);
            callback.succeed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.fail(e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("port-forward socket failed: {}", cause.toString());
        end();
    }

    private void readFrames() {
        try (InputStream in = input) {
            SpdyFrame frame;
            while (!ended && (frame = codec.read(in)) != null) {
                handle(frame);
            }
        } catch (IOException e) {
            if (!ended) {
                LOG.debug("port-forward session ended: {}", e.toString());
            }
        } finally {
            end();
            sending.lock(); // no frame is being encoded once the lock is ours, and none will be (ended is set)
            try {
                codec.close();
            } finally {
                sending.unlock();
            }
            Session s = session;
            if (s != null && s.isOpen()) {
                s.close(1000, null, Callback.NOOP);
            }
        }
    }

    private void handle(SpdyFrame frame) throws IOException {
        switch (frame) {
            case SpdyFrame.SynStream syn -> opened(syn);
            case SpdyFrame.Data data -> {
                ForwardedConnection c = byStream.get(data.streamId());
                if (c != null) {
                    c.fromClient(data.streamId(), data.data(), data.fin());
                }
            }
            case SpdyFrame.RstStream reset -> {
                ForwardedConnection c = byStream.get(reset.streamId());
                if (c != null) {
                    c.close();
                }
            }
            case SpdyFrame.Ping ping -> {
                if ((ping.id() & 1) == 1) { // the client's pings are odd; an even one would be an answer to ours
                    send(ping);
                }
            }
            case SpdyFrame.GoAway ignored -> end();
            case SpdyFrame.SynReply ignored -> { } // the agent opens no streams
            case SpdyFrame.Headers ignored -> { }
            case SpdyFrame.WindowUpdate ignored -> { }
            case SpdyFrame.Other ignored -> { } // SETTINGS and the like
        }
    }

    /** A new stream: checked as the kubelet's httpStreamReceived checks it, accepted, and paired by requestID. */
    private void opened(SpdyFrame.SynStream syn) throws IOException {
        String refusal = PortForwardHeaders.check(syn.headers());
        if (refusal != null) {
            LOG.debug("refusing port-forward stream {}: {}", syn.streamId(), refusal);
            send(new SpdyFrame.RstStream(syn.streamId(), SpdyFrame.CANCEL)); // spdystream's Reset
            return;
        }
        send(new SpdyFrame.SynReply(syn.streamId(), false, Map.of()));
        String requestId = PortForwardHeaders.requestId(syn.headers(), syn.streamId());
        ForwardedConnection c = byRequest.computeIfAbsent(requestId, id -> new ForwardedConnection(this, id));
        byStream.put(syn.streamId(), c);
        String problem = c.add(syn.streamId(), syn.headers().get(PortForwardHeaders.STREAM_TYPE),
                Integer.parseInt(syn.headers().get(PortForwardHeaders.PORT)));
        if (problem != null) {
            c.printError("error processing stream for request " + requestId + ": " + problem);
        } else if (c.complete()) {
            Thread.ofVirtual().name("portforward-" + requestId).start(() -> c.forward(dialer));
        }
    }

    /** The connection is over: its streams are forgotten. */
    void forget(ForwardedConnection c) {
        byRequest.remove(c.requestId(), c);
        byStream.values().removeIf(x -> x == c);
    }

    /** Sends one frame as one WebSocket message; frames go out one at a time, as header compression needs. */
    void send(SpdyFrame frame) throws IOException {
        sending.lock();
        try {
            Session s = session;
            if (ended || s == null || !s.isOpen()) {
                throw new IOException("the port-forward session has ended");
            }
            WebSocketSends.sendBinary(s, ByteBuffer.wrap(codec.encode(frame)));
        } finally {
            sending.unlock();
        }
    }

    /** Ends the session: every forwarded connection is closed. */
    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        input.end();
        byRequest.values().forEach(ForwardedConnection::close);
        byRequest.clear();
        byStream.clear();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
