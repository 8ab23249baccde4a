package io.capstan.apiserver.http;

import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.UserInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request and its answer, in blocking style (handlers run on virtual threads).
 * Keeps Jetty out of the handlers so they can be driven directly in tests.
 */
public final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    /** Bodies over this size are refused with 413, as kube-apiserver does at 3 MiB. */
    public static final int MAX_BODY = 3 * 1024 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ServerWebSocketContainer webSockets;
    private final Fields query;
    private UserInfo user;
    private final java.util.Map<String, String> auditAnnotations = new java.util.TreeMap<>();
    private OutputStream stream;
    private boolean committed;
    private boolean upgraded;
    private byte[] body;

    /**
     * @param callback completes the exchange; an upgrade to WebSocket hands it to Jetty
     * @param webSockets the server's WebSocket container, or null where upgrades are not offered
     */
    public Exchange(Request request, Response response, Callback callback, ServerWebSocketContainer webSockets) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.webSockets = webSockets;
        this.query = Request.extractQueryParameters(request);
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValue();
    }

    /** Every value of a query parameter (exec's command=...&command=...), empty when absent. */
    public List<String> queryValues(String name) {
        List<String> values = query.getValues(name);
        return values == null ? List.of() : values;
    }

    public boolean queryFlag(String name) {
        return "true".equalsIgnoreCase(query(name)) || "1".equals(query(name));
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** The names of the request's headers. */
    public java.util.Set<String> headerNames() {
        return request.getHeaders().getFieldNamesCollection();
    }

    public String contentType() {
        return request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    }

    public String accept() {
        String a = request.getHeaders().get(HttpHeader.ACCEPT);
        return a == null ? "" : a;
    }

    /** The client's certificate chain from the TLS handshake, or null. */
    public X509Certificate[] peerCertificates() {
        Object data = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        return data instanceof EndPoint.SslSessionData ssl ? ssl.peerCertificates() : null;
    }

    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    public UserInfo user() {
        return user;
    }

    public void user(UserInfo user) {
        this.user = user;
    }

    /** Adds an annotation to the request's audit event (admission's verdicts, as Kubernetes records them). */
    public void auditAnnotation(String key, String value) {
        auditAnnotations.put(key, value);
    }

    /** The audit annotations so far, by key. */
    public java.util.Map<String, String> auditAnnotations() {
        return java.util.Collections.unmodifiableMap(auditAnnotations);
    }

    /** The path with its query, as the client sent it. */
    public String requestUri() {
        String q = request.getHttpURI().getQuery();
        return q == null ? path() : path() + "?" + q;
    }

    /** The status of the answer so far. */
    public int status() {
        return response.getStatus();
    }

    /** The body if a handler has read it, else null (for the audit log, which must not read it itself). */
    public byte[] bodyIfRead() {
        return body;
    }

    private static final int DISCARD_LIMIT = 256 * 1024;

    /** The request body, refused with 413 past {@link #MAX_BODY}; read once, then kept. */
    public byte[] body() {
        if (body != null) {
            return body;
        }
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw tooLarge();
            }
            body = bytes;
            return bytes;
        } catch (IOException e) {
            throw StatusException.badRequest("unable to read the request body: " + e.getMessage());
        }
    }

    /**
     * Reads and drops an unread body of up to 256 KiB before an early error answer, as Go's HTTP server does: closing
     * a connection with unread data resets it, and a client still sending its body would never see the answer.
     */
    public void discardUnreadBody() {
        if (body != null || committed || request.getLength() > DISCARD_LIMIT) {
            return;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            in.readNBytes(DISCARD_LIMIT);
        } catch (IOException | RuntimeException ignored) {
            // the connection is going away anyway
        }
    }

    /** The request body as a stream, unlimited, for a handler that passes it on (the proxy subresources); read it once. */
    public InputStream bodyStream() {
        return Content.Source.asInputStream(request);
    }

    private static StatusException tooLarge() {
        return StatusException.tooLarge("the request body is too large: limit is " + MAX_BODY + " bytes");
    }

    /** Runs action when the connection fails or the client goes away while the request is in progress. */
    public void onFailure(Runnable action) {
        request.addFailureListener(t -> action.run());
    }

    /** Long-lived answers (watches, follows) wait on events, not on the connection's idle timeout. */
    public void ignoreIdleTimeout() {
        request.addIdleTimeoutListener(t -> false);
    }

    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    /** Answers with a whole body. */
    public void respond(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        committed = true;
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(body);
        }
    }

    /** Starts a streamed (chunked) answer; write and flush pieces as they come. */
    public OutputStream openStream(int status, String contentType) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
        committed = true;
        stream = Content.Sink.asOutputStream(response);
        return stream;
    }

    /** Whether the client asked to switch this request to a WebSocket (as fabric8 does for watches). */
    public boolean webSocketRequested() {
        return webSockets != null && "websocket".equalsIgnoreCase(header("Upgrade"));
    }

    /** What runs on a WebSocket once it is open; the socket is closed when it returns or throws. */
    @FunctionalInterface
    public interface WebSocketSession {
        void run(WebSocketChannel channel) throws Exception;
    }

    /**
     * Answers 101 and switches to a WebSocket, agreeing on the first of the client's subprotocols that
     * the handler accepts; with no match none is agreed and the client decides whether that will do.
     * Jetty completes the upgrade only after the handler returns, so the session runs on its own
     * virtual thread; {@code cleanup} runs when the session ends or the upgrade cannot be made.
     */
    public void upgrade(List<String> acceptedSubprotocols, WebSocketSession session, Runnable cleanup) {
        upgrade(acceptedSubprotocols, 0, session, cleanup);
    }

    /**
     * As {@link #upgrade(List, WebSocketSession, Runnable)}, keeping up to {@code inboxSize} of the client's binary
     * messages for {@link WebSocketChannel#receiveBinary()} (exec and attach relay them).
     */
    public void upgrade(List<String> acceptedSubprotocols, int inboxSize, WebSocketSession session, Runnable cleanup) {
        if (!webSocketRequested()) {
            throw StatusException.badRequest("the request is not a websocket upgrade");
        }
        WebSocketChannel[] channel = new WebSocketChannel[1];
        boolean switched;
        try {
            switched = webSockets.upgrade((req, resp, cb) -> {
                String chosen = req.getSubProtocols().stream().filter(acceptedSubprotocols::contains).findFirst().orElse(null);
                if (chosen != null) {
                    resp.setAcceptedSubProtocol(chosen);
                }
                channel[0] = new WebSocketChannel(chosen, inboxSize);
                return channel[0];
            }, request, response, callback);
        } catch (RuntimeException e) {
            cleanup.run();
            throw StatusException.badRequest("websocket upgrade failed: " + e.getMessage());
        }
        if (!switched || channel[0] == null) {
            cleanup.run();
            throw StatusException.badRequest("unable to upgrade the connection to a websocket");
        }
        upgraded = true;
        committed = true;
        WebSocketChannel open = channel[0];
        Thread.ofVirtual().name("websocket " + path()).start(() -> {
            try {
                open.awaitOpen(Duration.ofSeconds(10));
                session.run(open);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("websocket session on {} ended: {}", path(), e.toString());
            } finally {
                cleanup.run();
                open.close();
            }
        });
    }

    /** Whether the answer has begun, after which an error can no longer be sent as a Status. */
    public boolean committed() {
        return committed || response.isCommitted();
    }

    /** Ends the exchange; closes a stream left open. After a WebSocket upgrade, Jetty owns the callback. */
    public void finish() {
        if (upgraded) {
            return;
        }
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                callback.failed(e);
                return;
            }
        }
        callback.succeeded();
    }
}
