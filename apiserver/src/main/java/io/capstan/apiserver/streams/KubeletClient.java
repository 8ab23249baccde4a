package io.capstan.apiserver.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * How the API server calls agents: HTTPS with its kubelet-client certificate (CN kube-apiserver-kubelet-client,
 * O system:masters), which agents require. Like kube-apiserver without --kubelet-certificate-authority, it does
 * not verify the agents' serving certificates: agents may serve self-signed ones, as kubelets do by default.
 */
public final class KubeletClient {

    private final HttpClient http;
    private final SSLContext tls;

    public KubeletClient(KeyStore clientKeys, char[] password) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(clientKeys, password);
        tls = trustingAnyServer(keys.getKeyManagers());
        http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    HttpClient http() {
        return http;
    }

    /** The same TLS for Jetty's client (the proxy subresources): the kubelet-client certificate, any server. */
    public SslContextFactory.Client jettyTls() {
        SslContextFactory.Client jetty = new SslContextFactory.Client();
        jetty.setSslContext(tls); // Jetty's trust-all is dropped once a key store is set: hand it the whole context
        jetty.setEndpointIdentificationAlgorithm(null);
        return jetty;
    }

    /** The agent's base URI on a node: its first preferred address and kubelet port. */
    public URI agentUri(JsonNode node) {
        return PodTarget.agent(node);
    }

    /** TLS that shows these keys and accepts any server: agents may serve self-signed certificates. */
    private static SSLContext trustingAnyServer(KeyManager[] keys) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keys, new TrustManager[] {new AnyServer()}, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    /**
     * GET of a path on a node's agent (its InternalIP and kubelet port), parsed as JSON: the stats summary.
     *
     * @throws IOException when the agent cannot be reached in time or answers other than 200
     */
    public JsonNode getJson(JsonNode node, String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(PodTarget.agent(node).resolve(path)).timeout(timeout).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }

    /** Accepts any server certificate and host name (the extended form also skips the endpoint identification). */
    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
