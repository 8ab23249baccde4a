package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's built-in Ingress with real containers: two busybox httpd Deployments behind two Services, routed by
 * host name over HTTP, and over HTTPS with the certificate of a kubernetes.io/tls Secret chosen by SNI.
 */
class IngressTest {

    @TempDir
    static Path dir;
    static AgentCluster cluster;
    static Kubectl kubectl;
    static int httpPort;
    static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        kubectl = cluster.kubectl;
        httpPort = cluster.server.portFlag("--ingress-http-port");
        httpsPort = cluster.server.portFlag("--ingress-https-port");
        cluster.namespace("ing");
        for (String app : List.of("alpha", "beta")) {
            cluster.apply("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: APP, namespace: ing}
                    spec:
                      replicas: 1
                      selector: {matchLabels: {app: APP}}
                      template:
                        metadata: {labels: {app: APP}}
                        spec:
                          containers:
                          - name: httpd
                            image: IMAGE
                            command: [sh, -c, "mkdir -p /www && echo hello from APP > /www/index.html && exec httpd -f -p 8080 -h /www"]
                            ports: [{name: http, containerPort: 8080}]
                            readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1}
                    """.replace("APP", app));
        }
        // alpha is reached by service port number, beta by service port name.
        cluster.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: alpha, namespace: ing}
                spec: {selector: {app: alpha}, ports: [{name: http, port: 80, targetPort: 8080}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: beta, namespace: ing}
                spec: {selector: {app: beta}, ports: [{name: web, port: 8000, targetPort: http}]}
                """);
        for (String app : List.of("alpha", "beta")) {
            kubectl.run("rollout", "status", "deployment/" + app, "-n", "ing", "--timeout=90s").ok();
            ensureEndpointSlice(app, app.equals("alpha") ? "http" : "web");
        }
        Path cert = dir.resolve("beta.crt");
        Path key = dir.resolve("beta.key");
        TestCertificates.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=beta.example.test", "-addext", "subjectAltName=DNS:beta.example.test");
        kubectl.run("create", "secret", "tls", "beta-tls", "-n", "ing", "--cert", cert.toString(), "--key", key.toString()).ok();
        // alpha's Ingress names no class (the default, capstan, serves it); beta's names capstan.
        cluster.apply("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: alpha, namespace: ing}
                spec:
                  rules:
                  - host: alpha.example.test
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: beta, namespace: ing}
                spec:
                  ingressClassName: capstan
                  tls: [{hosts: [beta.example.test], secretName: beta-tls}]
                  rules:
                  - host: beta.example.test
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: beta, port: {name: web}}}}]}
                """);
    }

    /**
     * Until the EndpointSlice controller runs in the server, the test writes the slice the controller would write from
     * the pod's IP; once the controller runs, its slice appears within seconds and is used instead.
     */
    private static void ensureEndpointSlice(String service, String portName) throws Exception {
        boolean generated;
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).until(() -> readyEndpoints(service) > 0);
            generated = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            generated = false;
        }
        if (generated) {
            return;
        }
        JsonNode pod = AgentCluster.JSON.readTree(kubectl.run("get", "pods", "-n", "ing", "-l", "app=" + service, "-o", "json").ok().out())
                .path("items").path(0);
        cluster.apply("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %1$s-by-test, namespace: ing, labels: {kubernetes.io/service-name: %1$s}}
                addressType: IPv4
                ports: [{name: %2$s, port: 8080, protocol: TCP}]
                endpoints:
                - addresses: ["%3$s"]
                  conditions: {ready: true}
                  targetRef: {kind: Pod, namespace: ing, name: %4$s}
                """.formatted(service, portName, pod.path("status").path("podIP").asText(), pod.path("metadata").path("name").asText()));
    }

    private static int readyEndpoints(String service) throws Exception {
        JsonNode slices = AgentCluster.JSON.readTree(kubectl.run("get", "endpointslices", "-n", "ing",
                "-l", "kubernetes.io/service-name=" + service, "-o", "json").ok().out()).path("items");
        int ready = 0;
        for (JsonNode slice : slices) {
            for (JsonNode e : slice.path("endpoints")) {
                ready += e.path("conditions").path("ready").asBoolean(true) ? 1 : 0;
            }
        }
        return ready;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachHostReachesItsOwnDeployment() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("alpha.example.test", "/index.html")).isEqualTo("200 hello from alpha\n");
            assertThat(get("beta.example.test", "/index.html")).isEqualTo("200 hello from beta\n");
        });
        assertThat(get("unknown.example.test", "/index.html")).startsWith("404 ");
    }

    @Test
    void httpsServesTheSecretsCertificateForItsHost() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Tls beta = getTls("beta.example.test", "/index.html");
            assertThat(beta.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=beta.example.test");
            assertThat(beta.answer()).isEqualTo("200 hello from beta\n");
        });
        // alpha has no TLS entry: its host is served over HTTPS with the self-signed default certificate.
        Tls alpha = getTls("alpha.example.test", "/index.html");
        assertThat(alpha.certificate().getSubjectX500Principal().getName()).contains("Capstan Ingress Default Certificate");
        assertThat(alpha.answer()).isEqualTo("200 hello from alpha\n");
    }

    @Test
    void kubectlShowsTheIngressesWithClassHostsAndTheNodesAddress() throws Exception {
        assertThat(kubectl.run("get", "ingressclass").ok().out()).containsPattern("capstan\\s+capstan.io/ingress\\s+<none>");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "ingress", "beta", "-n", "ing",
                "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}").ok().out()).isNotBlank());
        String address = kubectl.run("get", "ingress", "beta", "-n", "ing", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").ok().out();
        String node = kubectl.run("get", "node", "e2e-node", "-o",
                "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").ok().out();
        assertThat(address).isEqualTo(node);
        String table = kubectl.run("get", "ingress", "-n", "ing").ok().out();
        assertThat(table).containsPattern("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE");
        assertThat(table).containsPattern("beta\\s+capstan\\s+beta.example.test\\s+" + java.util.regex.Pattern.quote(address) + "\\s+80, 443");
    }

    /** "STATUS BODY" of a GET over plain HTTP with this Host header. */
    private static String get(String host, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", httpPort)) {
            return exchange(socket, host, path);
        }
    }

    record Tls(X509Certificate certificate, String answer) {}

    /** A GET over TLS naming host by SNI and in the Host header; any certificate is accepted so the test can look at it. */
    private static Tls getTls(String host, String path) throws Exception {
        SslContextFactory.Client trustAll = new SslContextFactory.Client(true);
        trustAll.start();
        SSLContext context = trustAll.getSslContext();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new Tls((X509Certificate) socket.getSession().getPeerCertificates()[0], exchange(socket, host, path));
        }
    }

    private static String exchange(Socket socket, String host, String path) throws IOException {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int bodyStart = response.indexOf("\r\n\r\n");
        return response.substring(9, 12) + " " + response.substring(bodyStart + 4);
    }
}
