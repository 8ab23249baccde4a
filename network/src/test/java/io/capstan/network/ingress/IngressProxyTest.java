package io.capstan.network.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.capstan.client.fake.FakeCache;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy end to end on loopback: local HTTP servers stand in for pods, caches filled by hand for the API. */
class IngressProxyTest {

    private final List<HttpServer> pods = new ArrayList<>();
    private final FakeCache services = new FakeCache();
    private final FakeCache slices = new FakeCache();
    private final FakeCache secrets = new FakeCache();
    private final AtomicReference<IngressRules> rules = new AtomicReference<>(IngressRules.EMPTY);
    private final KeyEntry fallback = SelfSignedCertificate.create();
    private final SniKeyManager keys = new SniKeyManager(TlsCertificates.only(fallback));
    private IngressProxy proxy;

    private static final ObjectNode INGRESS = Yaml.object("""
            metadata: {name: web, namespace: shop}
            spec:
              tls: [{hosts: [secure.test], secretName: secure-tls}]
              rules:
              - host: a.test
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]}
              - host: b.test
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: beta, port: {name: web}}}}]}
              - host: empty.test
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: nobody, port: {number: 80}}}}]}
              - host: secure.test
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]}
            """);

    @BeforeEach
    void start() throws Exception {
        proxy = new IngressProxy(new IngressProxy.Config("127.0.0.1", 0, 0), rules::get, new ServiceEndpoints(services, slices), keys);
        proxy.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        pods.forEach(p -> p.stop(0));
    }

    /** A "pod" answering every request with its name and the forwarding headers it received. */
    private int pod(String name) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            byte[] body = (name + " " + exchange.getRequestURI() + " host=" + h.getFirst("Host") + " xff=" + h.getFirst("X-Forwarded-For")
                    + " proto=" + h.getFirst("X-Forwarded-Proto") + " xfh=" + h.getFirst("X-Forwarded-Host"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        pods.add(server);
        return server.getAddress().getPort();
    }

    private void service(String name, String portName, int port, int... endpointPorts) {
        services.put(Yaml.object("""
                metadata: {name: %s, namespace: shop}
                spec: {clusterIP: 10.43.0.9, ports: [{name: %s, port: %d, protocol: TCP, targetPort: 8080}]}
                """.formatted(name, portName, port)));
        // One slice per endpoint: a slice has one port list, and the loopback "pods" each have their own port.
        for (int i = 0; i < endpointPorts.length; i++) {
            slices.put(Yaml.object("""
                    metadata: {name: %s-%d, namespace: shop, labels: {kubernetes.io/service-name: %s}}
                    addressType: IPv4
                    ports: [{name: %s, port: %d, protocol: TCP}]
                    endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
                    """.formatted(name, i, name, portName, endpointPorts[i])));
        }
    }

    private void serve(ObjectNode... ingresses) {
        rules.set(IngressRules.of(List.of(ingresses)));
        keys.update(TlsCertificates.of(List.of(ingresses), secrets::get, fallback));
    }

    @Test
    void hostsRouteToTheirServicesEndpointsWithForwardingHeaders() throws Exception {
        service("alpha", "http", 80, pod("alpha-0"));
        service("beta", "web", 8000, pod("beta-0"));
        serve(INGRESS);

        RawHttp.Answer a = RawHttp.get(proxy.httpPort(), "a.test", "/index.html?x=1");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).startsWith("alpha-0 /index.html?x=1 host=a.test xff=127.0.0.1 proto=http xfh=a.test");
        assertThat(RawHttp.get(proxy.httpPort(), "b.test:8080", "/").body()).startsWith("beta-0 / host=b.test:8080");
    }

    @Test
    void requestsTakeTurnsOverReadyEndpoints() throws Exception {
        service("alpha", "http", 80, pod("alpha-0"), pod("alpha-1"));
        serve(INGRESS);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(RawHttp.get(proxy.httpPort(), "a.test", "/").body().split(" ")[0]);
        }
        assertThat(seen).containsExactly("alpha-0", "alpha-1", "alpha-0", "alpha-1");
    }

    @Test
    void notReadyEndpointsGetNoTraffic() throws Exception {
        service("alpha", "http", 80, pod("alpha-0"), pod("alpha-1"));
        ObjectNode slice = slices.get("shop", "alpha-1").orElseThrow();
        ((ObjectNode) slice.path("endpoints").path(0).path("conditions")).put("ready", false);
        serve(INGRESS);
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttp.get(proxy.httpPort(), "a.test", "/").body()).startsWith("alpha-0 ");
        }
    }

    @Test
    void noMatchingRuleIs404AndNoReadyEndpointIs503() throws Exception {
        service("alpha", "http", 80, pod("alpha-0"));
        serve(INGRESS);
        assertThat(RawHttp.get(proxy.httpPort(), "unknown.test", "/").status()).isEqualTo(404);
        assertThat(RawHttp.get(proxy.httpPort(), "empty.test", "/").status()).isEqualTo(503);
        assertThat(RawHttp.get(proxy.httpPort(), "b.test", "/").status()).isEqualTo(503);
    }

    @Test
    void httpsPresentsTheSecretsCertificateForItsHostAndTheDefaultOtherwise() throws Exception {
        service("alpha", "http", 80, pod("alpha-0"));
        secrets.put(TestCertificates.secret("shop", "secure-tls", TestCertificates.create("secure.test", true)));
        serve(INGRESS);

        RawHttp.Answer secure = RawHttp.getTls(proxy.httpsPort(), "secure.test", "secure.test", "/");
        assertThat(secure.peer().getSubjectX500Principal().getName()).isEqualTo("CN=secure.test");
        assertThat(secure.body()).startsWith("alpha-0 / host=secure.test xff=127.0.0.1 proto=https");
        RawHttp.Answer other = RawHttp.getTls(proxy.httpsPort(), "a.test", "a.test", "/");
        assertThat(other.peer().getSubjectX500Principal().getName()).contains(SelfSignedCertificate.COMMON_NAME);
        assertThat(other.body()).startsWith("alpha-0 ");

        // A renewed Secret is served from the next handshake on.
        secrets.put(TestCertificates.secret("shop", "secure-tls", TestCertificates.create("renewed.secure.test", false)));
        serve(INGRESS);
        assertThat(RawHttp.getTls(proxy.httpsPort(), "secure.test", "secure.test", "/").peer().getSubjectX500Principal().getName())
                .isEqualTo("CN=renewed.secure.test");
    }

    @Test
    void endpointThatDoesNotAnswerIs502() throws Exception {
        int port;
        try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        service("alpha", "http", 80, port);
        serve(INGRESS);
        assertThat(RawHttp.get(proxy.httpPort(), "a.test", "/").status()).isEqualTo(502);
    }
}
