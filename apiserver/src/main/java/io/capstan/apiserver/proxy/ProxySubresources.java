package io.capstan.apiserver.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.streams.KubeletClient;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * pods/NAME/proxy, services/NAME/proxy and nodes/NAME/proxy, with any path after them: the API server forwards
 * the request to the pod's IP, to a ready endpoint of the service, or to the node's agent, and streams the
 * answer back (kubectl proxy and {@code kubectl get --raw} use them). The API server dials pod IPs itself, so
 * it must run on a node or have a route to the pod network, as kube-apiserver must.
 */
public final class ProxySubresources {

    private final GenericRegistry registry;
    private final ProxyLocations locations;
    private final KubeletClient kubelets;
    /** Pods and services: plain HTTP, or HTTPS without a client certificate. */
    private final HttpForwarder backends;
    /** Agents: HTTPS with the API server's kubelet-client certificate, which they require. */
    private final HttpForwarder agents;

    public ProxySubresources(GenericRegistry registry, KubeletClient kubelets) {
        this.registry = registry;
        this.locations = new ProxyLocations(registry);
        this.kubelets = kubelets;
        this.backends = HttpForwarder.start(anyServer(), "proxy");
        this.agents = HttpForwarder.start(kubelets.jettyTls(), "node-proxy");
    }

    public void handle(Exchange exchange, RequestInfo info) throws IOException, InterruptedException {
        String rest = ProxyPath.rest(exchange.path(), info.resource(), info.name());
        String query = query(exchange);
        HttpForwarder forwarder = backends;
        URI base = switch (info.resource()) {
            case "pods" -> locations.pod(info.namespace(), info.name());
            case "services" -> locations.service(info.namespace(), info.name());
            case "nodes" -> {
                SchemeNamePort target = SchemeNamePort.parse(info.name())
                        .orElseThrow(() -> StatusException.badRequest("invalid node request \"" + info.name() + "\""));
                ObjectNode node = registry.get(Kinds.NODES, "", target.name());
                URI agent = kubelets.agentUri(node);
                if (target.port().isEmpty() || target.portNumber() == agent.getPort()) {
                    forwarder = agents;
                    yield agent;
                }
                yield URI.create(target.schemeOrHttp() + "://" + ProxyLocations.hostPort(agent.getHost(), target.port()));
            }
            default -> throw StatusException.pathNotFound();
        };
        if (rest.isEmpty()) {
            // kube-apiserver's redirect of ".../proxy" to ".../proxy/", so relative links resolve under it.
            exchange.setHeader("Location", exchange.path() + "/" + (query == null ? "" : "?" + query));
            exchange.respond(301, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        forwarder.forward(exchange, target(base, rest, query));
    }

    /** kube-apiserver's proxy transport does not verify pods' certificates (they are rarely issued for pod IPs). */
    private static SslContextFactory.Client anyServer() {
        SslContextFactory.Client tls = new SslContextFactory.Client(true);
        tls.setEndpointIdentificationAlgorithm(null);
        return tls;
    }

    static URI target(URI base, String path, String rawQuery) {
        try {
            String encodedPath = new URI(null, null, path, null).getRawPath();
            return URI.create(base.getScheme() + "://" + base.getRawAuthority() + encodedPath + (rawQuery == null ? "" : "?" + rawQuery));
        } catch (URISyntaxException e) {
            throw StatusException.badRequest("invalid proxy path \"" + path + "\"");
        }
    }

    private static String query(Exchange exchange) {
        String uri = exchange.requestUri();
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }
}
