package io.capstan.agent.server;

import io.capstan.api.Json;
import io.capstan.api.PodLogOptions;
import io.capstan.api.StatusException;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.logs.CriLogReader;
import io.capstan.runtime.logs.LogOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's streaming paths: {@code GET /containerLogs/NS/POD/CONTAINER} (text, streamed while following)
 * and {@code /exec/NS/POD/CONTAINER?command=...} and {@code /attach/NS/POD/CONTAINER} (WebSocket,
 * channel.k8s.io), and {@code /portForward/NS/POD} (WebSocket, SPDY/3.1+portforward.k8s.io). Failures are answered as a Status with the kubelet's messages.
 */
final class AgentHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AgentHandler.class);

    private final PodStreams pods;
    private final ServerWebSocketContainer webSockets;
    private final Clock clock;

    AgentHandler(PodStreams pods, ServerWebSocketContainer webSockets, Clock clock) {
        this.pods = pods;
        this.webSockets = webSockets;
        this.clock = clock;
    }

    /** A path of the form /VERB/NAMESPACE/POD/CONTAINER, or /portForward/NAMESPACE/POD (container ""). */
    private record Target(String verb, String namespace, String pod, String container) {
        static Target parse(String path) {
            String[] parts = path.substring(1).split("/");
            if (parts.length == 3 && parts[0].equals("portForward") && !parts[1].isEmpty() && !parts[2].isEmpty()) {
                return new Target(parts[0], parts[1], parts[2], "");
            }
            if (parts.length != 4 || parts[1].isEmpty() || parts[2].isEmpty() || parts[3].isEmpty()) {
                throw new StatusException(404, "NotFound", "the server could not find the requested resource", null, null, null, List.of(), 0);
            }
            return new Target(parts[0], parts[1], parts[2], parts[3]);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        try {
            Target target = Target.parse(request.getHttpURI().getPath());
            switch (target.verb()) {
                case "containerLogs" -> logs(target, query, request, response, callback);
                case "exec", "attach" -> stream(target, query, request, response, callback);
                case "portForward" -> portForward(target, request, response, callback);
                default -> throw new StatusException(404, "NotFound", "the server could not find the requested resource", null, null, null, List.of(), 0);
            }
        } catch (StatusException e) {
            fail(response, callback, e);
        } catch (Exception e) {
            LOG.warn("{} failed", request.getHttpURI().getPath(), e);
            fail(response, callback, StatusException.internal(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        return true;
    }

    private void logs(Target t, Fields query, Request request, Response response, Callback callback) throws IOException {
        if (!request.getMethod().equals("GET")) {
            throw StatusException.methodNotAllowed();
        }
        PodLogOptions options = PodLogOptions.parse(query::getValue, t.pod());
        Path file = pods.logFile(t.namespace(), t.pod(), t.container(), options.previous());
        AtomicBoolean clientGone = new AtomicBoolean();
        request.addFailureListener(failure -> clientGone.set(true));
        request.addIdleTimeoutListener(timeout -> false); // a follow waits on the container, not on the connection
        LogOptions read = new LogOptions(options.follow(), options.tailLines() == null ? -1 : options.tailLines(),
                options.since(clock.instant()), options.timestamps(), options.limitBytes() == null ? -1 : options.limitBytes());
        // The previous instance has ended; the current one is followed while it runs and the client listens.
        CriLogReader reader = new CriLogReader(file, read,
                () -> !options.previous() && !clientGone.get() && pods.running(t.namespace(), t.pod(), t.container()));
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            reader.copyTo(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("log stream of {}/{}/{} ended: {}", t.namespace(), t.pod(), t.container(), e.toString());
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private void stream(Target t, Fields query, Request request, Response response, Callback callback) {
        if (!"websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            throw StatusException.badRequest("Upgrade request required: this node streams " + t.verb()
                    + " over WebSocket (" + String.join(", ", StreamProtocol.SUBPROTOCOLS) + ") only");
        }
        ExecStream.Streams streams = new ExecStream.Streams(PodLogOptions.flag(query.getValue("stdin")),
                PodLogOptions.flag(query.getValue("stdout")), PodLogOptions.flag(query.getValue("stderr")),
                PodLogOptions.flag(query.getValue("tty")));
        if (!streams.stdin() && !streams.stdout() && !streams.stderr()) {
            throw StatusException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        ExecSession session;
        if (t.verb().equals("exec")) {
            List<String> command = query.getValues("command");
            if (command == null || command.isEmpty()) {
                throw StatusException.badRequest("you must specify at least one command for the container");
            }
            session = pods.exec(t.namespace(), t.pod(), t.container(), new ExecSpec(command, streams.tty(), streams.stdin()));
        } else {
            session = pods.attach(t.namespace(), t.pod(), t.container(), streams.stdin(), streams.tty());
        }
        // The command starts before the upgrade so that a refusal is still an HTTP answer kubectl can print.
        boolean upgraded;
        try {
            upgraded = webSockets.upgrade((req, resp, cb) -> {
                String chosen = req.getSubProtocols().stream().filter(StreamProtocol.SUBPROTOCOLS::contains).findFirst().orElse(null);
                if (chosen == null) {
                    return null;
                }
                resp.setAcceptedSubProtocol(chosen);
                return new ExecStream(session, streams);
            }, request, response, callback);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        if (!upgraded) {
            session.close();
            throw StatusException.badRequest("unable to upgrade: the client must offer one of the subprotocols "
                    + String.join(", ", StreamProtocol.SUBPROTOCOLS));
        }
    }

    /** kubelet's /portForward/NS/POD: SPDY/3.1 tunnelled in WebSocket; the pod is looked up before the upgrade so a refusal is an HTTP answer. */
    private void portForward(Target t, Request request, Response response, Callback callback) {
        if (!"websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            throw StatusException.badRequest("Upgrade request required: this node forwards ports over WebSocket ("
                    + PortForwardSession.SUBPROTOCOL + ") only");
        }
        PodDialer dialer = pods.portForward(t.namespace(), t.pod());
        boolean upgraded = webSockets.upgrade((req, resp, cb) -> {
            String chosen = req.getSubProtocols().stream().filter(PortForwardSession.SUBPROTOCOLS::contains).findFirst().orElse(null);
            if (chosen == null) {
                return null;
            }
            resp.setAcceptedSubProtocol(chosen);
            return new PortForwardSession(dialer);
        }, request, response, callback);
        if (!upgraded) {
            throw StatusException.badRequest("unable to upgrade: the client must offer one of the subprotocols "
                    + String.join(", ", PortForwardSession.SUBPROTOCOLS));
        }
    }

    private static void fail(Response response, Callback callback, StatusException e) {
        if (response.isCommitted()) {
            callback.failed(e);
            return;
        }
        byte[] body = Json.bytes(AgentStatus.failure(e));
        response.setStatus(e.code());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, java.nio.ByteBuffer.wrap(body), callback);
    }
}
