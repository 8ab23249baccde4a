package io.capstan.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.StatusException;
import io.capstan.apiserver.audit.Auditor;
import io.capstan.apiserver.auth.Authenticator;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.authz.Attributes;
import io.capstan.apiserver.authz.Authorizer;
import io.capstan.apiserver.authz.Decision;
import io.capstan.apiserver.authz.Forbidden;
import io.capstan.apiserver.authz.Impersonation;
import io.capstan.apiserver.authz.Reviews;
import io.capstan.apiserver.discovery.DiscoveryDocuments;
import io.capstan.apiserver.endpoints.ResourceHandler;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.http.Responses;
import io.capstan.apiserver.openapi.OpenApiEndpoint;
import java.io.IOException;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: authenticates (a request without credentials is system:anonymous), applies
 * impersonation, authorizes, then routes to health, version, discovery, OpenAPI, reviews or
 * resources; turns failures into Status answers.
 */
final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Impersonation impersonation;
    private final Reviews reviews;
    private final HealthChecks health;
    private final DiscoveryDocuments discovery;
    private final OpenApiEndpoint openapi;
    private final ResourceHandler resources;
    private final ServerWebSocketContainer webSockets;
    private String caPem;
    private Auditor auditor;

    ApiHandler(Authenticator authenticator, Authorizer authorizer, Reviews reviews, HealthChecks health, DiscoveryDocuments discovery,
               OpenApiEndpoint openapi, ResourceHandler resources, ServerWebSocketContainer webSockets) {
        this.webSockets = webSockets;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.impersonation = new Impersonation(authorizer);
        this.reviews = reviews;
        this.health = health;
        this.discovery = discovery;
        this.openapi = openapi;
        this.resources = resources;
    }

    /** Serves the cluster CA at /cacerts, for agents that join with a token. */
    void caPem(String pem) {
        this.caPem = pem;
    }

    /** Records every request from now on (set before the server starts). */
    void auditor(Auditor auditor) {
        this.auditor = auditor;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, callback, webSockets);
        Auditor.Start audit = auditor == null ? null : auditor.begin(exchange);
        StatusException failure = null;
        try {
            serve(exchange);
        } catch (StatusException e) {
            failure = fail(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = fail(exchange, StatusException.internal("interrupted"));
        } catch (Exception e) {
            LOG.error("{} {} failed", exchange.method(), exchange.path(), e);
            failure = fail(exchange, StatusException.internal("the server could not complete the request"));
        }
        if (audit != null) {
            // before finish: once the exchange completes, Jetty may recycle the response whose status is read
            auditor.complete(audit, exchange, failure != null ? failure.code() : exchange.status(), failure);
        }
        exchange.finish();
        return true;
    }

    /** Answers with e's Status; returns e when it was sent, null when a stream had begun already. */
    private static StatusException fail(Exchange exchange, StatusException e) {
        if (exchange.committed()) {
            return null; // a stream already started; the client sees it end
        }
        try {
            Responses.error(exchange, e);
        } catch (IOException io) {
            LOG.debug("could not send error to client", io);
        }
        return e;
    }

    private void serve(Exchange exchange) throws IOException, InterruptedException {
        String path = exchange.path();
        if (path.equals("/cacerts") && caPem != null) {
            // As k3s: a joining agent fetches the CA unauthenticated and checks it against the hash in its join token.
            exchange.respond(200, "text/plain", caPem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        UserInfo user = impersonation.actingAs(exchange, authenticate(exchange));
        exchange.user(user);
        RequestInfo info = RequestInfo.parse(exchange.method(), path, exchange.queryFlag("watch"));
        Attributes attributes = Attributes.of(user, info, exchange.method(), path);
        Decision decision = authorizer.authorize(attributes);
        if (!decision.allowed()) {
            throw Forbidden.of(attributes, decision.reason());
        }
        if (health.handle(exchange, path)) {
            return;
        }
        if (OpenApiEndpoint.handles(path)) {
            openapi.serve(exchange, path);
            return;
        }
        if (Reviews.handles(info)) {
            reviews.serve(exchange, info);
            return;
        }
        if (info.resourceRequest()) {
            resources.handle(exchange, info);
            return;
        }
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            throw StatusException.methodNotAllowed();
        }
        ObjectNode doc = nonResource(exchange, path);
        if (doc == null) {
            throw StatusException.pathNotFound();
        }
        String type = (path.equals("/api") || path.equals("/apis")) && wantsAggregated(exchange)
                ? DiscoveryDocuments.AGGREGATED_TYPE : Responses.JSON;
        Responses.json(exchange, 200, type, doc);
    }

    /**
     * Who sent the request: a request that carries no credentials at all is system:anonymous (RBAC
     * then decides, as with kube-apiserver's default --anonymous-auth); credentials that do not check out are 401.
     */
    private UserInfo authenticate(Exchange exchange) {
        var user = authenticator.authenticate(exchange);
        if (user.isPresent()) {
            return user.get();
        }
        X509Certificate[] certs = exchange.peerCertificates();
        if (exchange.header("Authorization") == null && (certs == null || certs.length == 0)) {
            return UserInfo.ANONYMOUS;
        }
        throw StatusException.unauthorized();
    }

    private ObjectNode nonResource(Exchange exchange, String path) {
        String p = path.replaceAll("/+$", "");
        String[] parts = p.substring(Math.min(1, p.length())).split("/");
        return switch (parts[0]) {
            case "version" -> parts.length == 1 ? VersionInfo.document() : null;
            case "api" -> parts.length == 1
                    ? (wantsAggregated(exchange) ? discovery.aggregated(true) : discovery.apiVersions(exchange.header("Host")))
                    : parts.length == 2 ? discovery.resourceList("", parts[1]) : null;
            case "apis" -> switch (parts.length) {
                case 1 -> wantsAggregated(exchange) ? discovery.aggregated(false) : discovery.apiGroupList();
                case 2 -> discovery.apiGroup(parts[1]);
                case 3 -> discovery.resourceList(parts[1], parts[2]);
                default -> null;
            };
            default -> null;
        };
    }

    /** Aggregated discovery only when asked for by its exact media type, as the wire notes require. */
    private static boolean wantsAggregated(Exchange exchange) {
        for (String range : exchange.accept().split(",")) {
            if (range.replace(" ", "").equals(DiscoveryDocuments.AGGREGATED_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
