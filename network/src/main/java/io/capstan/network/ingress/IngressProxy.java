package io.capstan.network.ingress;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ingress's listeners: plain HTTP and HTTPS (certificate by SNI), each request routed by the current
 * {@link IngressRules} to a ready endpoint of the backend Service: 404 when no rule matches, 503 when the
 * backend has no ready endpoint, 502 when the endpoint does not answer.
 */
final class IngressProxy implements AutoCloseable {

    /** Where to listen; port 0 picks a free one (tests). */
    record Config(String bindAddress, int httpPort, int httpsPort) {}

    private static final String TARGET = IngressProxy.class.getName() + ".target";

    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;

    IngressProxy(Config config, Supplier<IngressRules> rules, ServiceEndpoints endpoints, SniKeyManager keys) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(64);
        pool.setName("ingress");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        server.setStopTimeout(2_000);

        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
        // The certificate is chosen by our key manager from the Ingresses, not from a key store Jetty could check SNI against.
        httpsConfig.addCustomizer(new SecureRequestCustomizer(false));

        http = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        http.setHost(config.bindAddress());
        http.setPort(config.httpPort());
        http.setIdleTimeout(Duration.ofMinutes(1).toMillis());
        server.addConnector(http);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keys}, null, null);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);
        https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpsConfig));
        https.setHost(config.bindAddress());
        https.setPort(config.httpsPort());
        https.setIdleTimeout(Duration.ofMinutes(1).toMillis());
        server.addConnector(https);

        server.setHandler(new Routing(rules, endpoints));
    }

    void start() throws Exception {
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    int httpPort() {
        return http.getLocalPort();
    }

    int httpsPort() {
        return https.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing left to do
        }
    }

    /** Picks the backend and endpoint, then lets Jetty's reverse proxy stream the exchange both ways. */
    private static final class Routing extends ProxyHandler.Reverse {

        private final Supplier<IngressRules> rules;
        private final ServiceEndpoints endpoints;

        Routing(Supplier<IngressRules> rules, ServiceEndpoints endpoints) {
            super(request -> (HttpURI) request.getAttribute(TARGET));
            this.rules = rules;
            this.endpoints = endpoints;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String host = request.getHeaders().get(HttpHeader.HOST);
            if (host == null) {
                host = request.getHttpURI().getHost();
            }
            Optional<Backend> backend = rules.get().match(host, request.getHttpURI().getPath());
            if (backend.isEmpty()) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
            Optional<InetSocketAddress> endpoint = endpoints.pick(backend.get());
            if (endpoint.isEmpty()) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
                return true;
            }
            String address = endpoint.get().getHostString();
            request.setAttribute(TARGET, HttpURI.build(request.getHttpURI()).scheme("http")
                    .host(address.contains(":") ? "[" + address + "]" : address).port(endpoint.get().getPort()).asImmutable());
            return super.handle(request, response, callback);
        }

        @Override
        protected void configureHttpClient(org.eclipse.jetty.client.HttpClient client) {
            super.configureHttpClient(client);
            client.setConnectTimeout(Duration.ofSeconds(5).toMillis());
        }

        /** The headers ingress-nginx sends instead of Via and Forwarded; client-sent X-Forwarded-* are replaced, not trusted. */
        @Override
        protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request toServer) {
            String remote = Request.getRemoteAddr(request);
            String host = request.getHeaders().get(HttpHeader.HOST);
            String proto = request.isSecure() ? "https" : "http";
            int port = Request.getLocalPort(request);
            toServer.headers(h -> {
                h.put("X-Forwarded-For", remote);
                h.put("X-Real-IP", remote);
                h.put("X-Forwarded-Proto", proto);
                h.put("X-Forwarded-Scheme", proto);
                h.put("X-Forwarded-Port", Integer.toString(port));
                if (host != null) {
                    h.put("X-Forwarded-Host", host);
                } else {
                    h.remove("X-Forwarded-Host");
                }
            });
        }
    }
}
