package io.capstan.apiserver.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A server WebSocket used in blocking style from the request's virtual thread: the handler that
 * upgraded keeps running and sends messages until it is done or the client closes. Binary messages
 * from the client are dropped, or with an inbox kept for {@link #receiveBinary()} (a full inbox
 * holds the client back).
 */
public final class WebSocketChannel implements Session.Listener.AutoDemanding {

    /** Marks the end of the inbox once the client has gone. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    /** How long a single message may take to go out before the peer is considered gone. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String subprotocol;
    private final CompletableFuture<Session> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final BlockingQueue<ByteBuffer> inbox;

    /** @param inboxSize how many client messages may wait to be received; 0 drops them */
    WebSocketChannel(String subprotocol, int inboxSize) {
        this.subprotocol = subprotocol;
        this.inbox = inboxSize > 0 ? new LinkedBlockingQueue<>(inboxSize) : null;
    }

    /** The subprotocol agreed in the handshake, or null when none was asked for. */
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        // The handler decides how long the socket lives (a watch's timeoutSeconds), not the idle timer.
        session.addIdleTimeoutListener(timeout -> false);
        opened.complete(session);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        if (inbox == null) {
            callback.succeed();
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        try {
            inbox.put(copy); // blocks this connection's reading while the receiver is behind
            callback.succeed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.fail(e);
        }
    }

    /** The next binary message from the client, waiting for one; null once the client has closed. */
    public ByteBuffer receiveBinary() throws InterruptedException {
        if (inbox == null) {
            throw new IllegalStateException("this websocket keeps no inbox");
        }
        ByteBuffer next = inbox.take();
        if (next == END) {
            inbox.offer(END); // later calls see the end too
            return null;
        }
        return next;
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(null);
        endInbox();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        opened.completeExceptionally(cause);
        closed.complete(null);
        endInbox();
    }

    private void endInbox() {
        if (inbox != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    inbox.put(END); // after what was received before the close
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Waits for the handshake to finish on the connection. */
    void awaitOpen(Duration timeout) throws IOException {
        try {
            opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening the websocket", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the websocket did not open", e);
        }
    }

    public boolean isOpen() {
        return opened.isDone() && !opened.isCompletedExceptionally() && !closed.isDone() && opened.join().isOpen();
    }

    /** Runs action once when the peer closes or the connection fails. */
    public void onClose(Runnable action) {
        closed.whenComplete((v, t) -> action.run());
    }

    public void sendText(String text) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        session().sendText(text, callback(done));
        await(done);
    }

    public void sendBinary(ByteBuffer data) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        session().sendBinary(data, callback(done));
        await(done);
    }

    /** Closes normally (1000), waiting briefly for the close to be sent. */
    public void close() {
        if (!opened.isDone() || opened.isCompletedExceptionally()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        opened.join().close(1000, null, callback(done));
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            opened.join().disconnect();
        }
    }

    private Session session() throws IOException {
        if (!isOpen()) {
            throw new IOException("the websocket is closed");
        }
        return opened.join();
    }

    private static Callback callback(CompletableFuture<Void> done) {
        return Callback.from(() -> done.complete(null), done::completeExceptionally);
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("websocket send failed", e);
        }
    }
}
