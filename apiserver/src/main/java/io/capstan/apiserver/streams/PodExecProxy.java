package io.capstan.apiserver.streams;

import io.capstan.api.PodLogOptions;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.WebSocketChannel;
import io.capstan.apiserver.registry.GenericRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pods/NAME/exec, pods/NAME/attach and pods/NAME/portforward: checks the container as kube-apiserver does, opens a WebSocket to
 * the node's agent with the subprotocols the client offered, then accepts the client's WebSocket with the
 * one the agent chose and relays messages both ways until either side closes. A refusal by the agent is
 * still an HTTP answer the client can print.
 */
final class PodExecProxy {

    private static final Logger LOG = LoggerFactory.getLogger(PodExecProxy.class);
    /** The channel.k8s.io versions agents speak; the client's order decides. */
    static final List<String> SUBPROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
    /** Port-forward's: SPDY/3.1 frames tunnelled in WebSocket binary messages (kubectl 1.31+). */
    static final String PORT_FORWARD_TUNNEL = "SPDY/3.1+portforward.k8s.io";
    static final List<String> PORT_FORWARD = List.of(PORT_FORWARD_TUNNEL);
    /**
     * The name the agent is asked for instead: the JDK's WebSocket client refuses "/" in a subprotocol (it is
     * not an HTTP token character), so the hop to the agent uses the SPDY protocol's own name.
     */
    static final String PORT_FORWARD_TO_AGENT = "portforward.k8s.io";
    private static final int INBOX = 16;

    private final GenericRegistry registry;
    private final KubeletClient kubelets;

    PodExecProxy(GenericRegistry registry, KubeletClient kubelets) {
        this.registry = registry;
        this.kubelets = kubelets;
    }

    void serve(Exchange exchange, String verb, String namespace, String name) throws InterruptedException {
        if (verb.equals("portforward")) {
            // The kubelet's path; the agent speaks SPDY inside the WebSocket, the API server only relays it.
            PodTarget target = PodTarget.find(registry, namespace, name);
            relay(exchange, verb, name, target.requireAgent().resolve("/portForward/" + namespace + "/" + name), PORT_FORWARD);
            return;
        }
        PodTarget target = PodTarget.find(registry, namespace, name, exchange.query("container"));
        relay(exchange, verb, name, target.agentPath(verb, agentQuery(exchange, verb)), SUBPROTOCOLS);
    }

    private void relay(Exchange exchange, String verb, String name, URI agentUri, List<String> supported) throws InterruptedException {
        if (!exchange.webSocketRequested()) {
            String upgrade = exchange.header("Upgrade");
            throw StatusException.badRequest(upgrade != null && upgrade.toUpperCase().startsWith("SPDY")
                    ? "SPDY is not supported: " + verb + " is served over WebSocket (" + String.join(", ", supported)
                            + "); use kubectl 1.30 or newer, or a client that speaks WebSocket"
                    : "Upgrade request required: " + verb + " is served over WebSocket (" + String.join(", ", supported) + ")");
        }
        List<String> offered = new ArrayList<>();
        for (String header : exchange.headers("Sec-WebSocket-Protocol")) {
            for (String p : header.split(",")) {
                if (supported.contains(p.trim())) {
                    offered.add(p.trim());
                }
            }
        }
        if (offered.isEmpty()) {
            throw StatusException.badRequest("unable to upgrade: the client must offer one of the subprotocols " + String.join(", ", supported));
        }
        Relay relay = new Relay();
        WebSocket agent = connect(agentUri, offered.stream().map(p -> p.equals(PORT_FORWARD_TUNNEL) ? PORT_FORWARD_TO_AGENT : p).toList(), relay, name);
        String chosen = agent.getSubprotocol().equals(PORT_FORWARD_TO_AGENT) ? PORT_FORWARD_TUNNEL : agent.getSubprotocol();
        exchange.upgrade(List.of(chosen), INBOX, client -> relay.run(client, agent), () -> relay.end(agent));
    }

    /** The agent's query: the streams as 1s and the command words, as kube-apiserver's streamParams writes them. */
    private static String agentQuery(Exchange exchange, String verb) {
        List<String> params = new ArrayList<>();
        for (String stream : List.of("stdin", "stdout", "stderr", "tty")) {
            if (PodLogOptions.flag(exchange.query(stream))) {
                params.add(stream + "=1");
            }
        }
        if (verb.equals("exec")) {
            for (String word : exchange.queryValues("command")) {
                params.add("command=" + URLEncoder.encode(word, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return String.join("&", params);
    }

    private WebSocket connect(URI uri, List<String> offered, Relay relay, String pod) throws InterruptedException {
        URI ws = URI.create("wss" + uri.toString().substring("https".length()));
        try {
            return kubelets.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .subprotocols(offered.getFirst(), offered.subList(1, offered.size()).toArray(String[]::new))
                    .buildAsync(ws, relay).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                byte[] bytes = body instanceof byte[] b ? b : String.valueOf(body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
                throw AgentAnswers.failure(refused.getResponse().statusCode(), bytes);
            }
            throw AgentAnswers.unreachable("pod " + pod, e.getCause() instanceof Exception cause ? cause : e);
        } catch (TimeoutException e) {
            throw AgentAnswers.unreachable("pod " + pod, e);
        }
    }

    /**
     * Carries the agent's messages to the client and the client's to the agent, until one side ends. The JDK
     * calls the listener on its own threads (even before the connection is handed back), so the listener only
     * queues; the session's thread sends to the client and then asks the agent for the next message.
     */
    private static final class Relay implements WebSocket.Listener {

        /** Marks the end of the agent's messages. */
        private static final ByteBuffer END = ByteBuffer.allocate(0);

        private final BlockingQueue<ByteBuffer> fromAgent = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        void run(WebSocketChannel channel, WebSocket agent) throws InterruptedException {
            Thread upstream = Thread.ofVirtual().name("exec-upstream").start(() -> {
                try {
                    ByteBuffer message;
                    while ((message = channel.receiveBinary()) != null) {
                        agent.sendBinary(message, true).get(30, TimeUnit.SECONDS);
                    }
                    agent.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("exec: the agent stopped taking input: {}", e.toString());
                }
            });
            try {
                ByteBuffer message;
                // The agent closes once the command has ended and its status is sent.
                while ((message = fromAgent.take()) != END) {
                    channel.sendBinary(message);
                    agent.request(1);
                }
            } catch (IOException e) {
                LOG.debug("exec: the client is gone: {}", e.toString());
            } finally {
                upstream.interrupt();
                agent.abort();
            }
        }

        /** The session is over (or the client's upgrade failed): drop the agent's socket. */
        void end(WebSocket agent) {
            agent.abort();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                fromAgent.add(ByteBuffer.wrap(partial.toByteArray()));
                partial.reset();
            } else {
                webSocket.request(1); // the rest of this message
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fromAgent.add(END);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.debug("exec: the agent's socket failed: {}", error.toString());
            fromAgent.add(END);
        }
    }
}
