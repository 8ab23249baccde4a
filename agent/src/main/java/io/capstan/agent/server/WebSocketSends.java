package io.capstan.agent.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Blocking sends on a Jetty WebSocket for the agent's streams; callers serialise them (one message at a time). */
final class WebSocketSends {

    private static final long TIMEOUT_SECONDS = 30;

    private WebSocketSends() {}

    /** Sends one binary message and waits until it is out; a client that takes none for 30 s is taken as gone. */
    static void sendBinary(Session session, ByteBuffer message) throws IOException {
        try {
            Callback.Completable done = new Callback.Completable();
            session.sendBinary(message, done);
            done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (Exception e) {
            throw new IOException("could not send to the client: " + e.getMessage(), e);
        }
    }
}
