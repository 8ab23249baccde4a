package io.capstan.apiserver.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A server WebSocket used in blocking style from the request's virtual thread: the handler that
 * upgraded keeps running and sends messages until it is done or the client closes.
 */
public final class WebSocketChannel implements Session.Listener.AutoDemanding {

    /** How long a single message may take to go out before the peer is considered gone. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String subprotocol;
    private final CompletableFuture<Session> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    WebSocketChannel(String subprotocol) {
        this.subprotocol = subprotocol;
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
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(null);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        opened.completeExceptionally(cause);
        closed.complete(null);
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
