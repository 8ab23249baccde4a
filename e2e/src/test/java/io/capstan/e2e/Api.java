package io.capstan.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Raw HTTPS requests to a test server, trusting only its cluster CA: for what kubectl cannot send (hostile input). */
final class Api {

    /** One answer. */
    record Answer(int code, String body, String contentType) {}

    private final HttpClient client;
    private final String base;
    private final String token;

    Api(CapstanServer server) throws Exception {
        this(server, server.adminToken());
    }

    Api(CapstanServer server, String token) throws Exception {
        this.client = HttpClient.newBuilder().sslContext(trusting(server)).connectTimeout(Duration.ofSeconds(5)).build();
        this.base = "https://127.0.0.1:" + server.port();
        this.token = token;
    }

    Answer send(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(method, path, contentType, body, null);
    }

    /** A GET with this Accept header, e.g. for a Table. */
    Answer get(String path, String accept) throws IOException, InterruptedException {
        return send("GET", path, null, null, accept);
    }

    private Answer send(String method, String path, String contentType, byte[] body, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    static boolean healthy(CapstanServer server) {
        try {
            return new Api(server, null).get("/readyz").code() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static SSLContext trusting(CapstanServer server) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = new ByteArrayInputStream(Files.readAllBytes(server.caFile()))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
