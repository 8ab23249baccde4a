package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain HTTPS client for the API from a token kubeconfig, as a benchmark's clients need it. */
final class ApiClient {

    private final HttpClient http;
    private final String server;
    private final String token;

    private ApiClient(HttpClient http, String server, String token) {
        this.http = http;
        this.server = server;
        this.token = token;
    }

    static ApiClient fromKubeconfig(Path kubeconfig) throws Exception {
        JsonNode config = Json.YAML.readTree(Files.readString(kubeconfig));
        JsonNode cluster = config.path("clusters").get(0).path("cluster");
        String token = config.path("users").get(0).path("user").path("token").asText();
        byte[] ca = Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText());
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = new ByteArrayInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return new ApiClient(http, cluster.path("server").asText(), token);
    }

    int send(String method, String path, String body) throws Exception {
        return sendForBody(method, path, body).statusCode();
    }

    HttpResponse<byte[]> sendForBody(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<InputStream> stream(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token).build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
