package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Where the API is and how to reach it, from a token kubeconfig; opens the connections the benchmark's clients use. */
final class ApiClient {

    private final SSLContext ssl;
    private final String host;
    private final int port;
    private final String token;

    /** A client of the server at host:port whose cluster CA is caCertificate; token may be null (public paths). */
    static ApiClient of(String host, int port, byte[] caCertificate, String token) throws Exception {
        return new ApiClient(trusting(caCertificate), host, port, token);
    }

    private ApiClient(SSLContext ssl, String host, int port, String token) {
        this.ssl = ssl;
        this.host = host;
        this.port = port;
        this.token = token;
    }

    static ApiClient fromKubeconfig(Path kubeconfig) throws Exception {
        JsonNode config = Json.YAML.readTree(Files.readString(kubeconfig));
        JsonNode cluster = config.path("clusters").get(0).path("cluster");
        String token = config.path("users").get(0).path("user").path("token").asText();
        byte[] ca = Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText());
        URI server = URI.create(cluster.path("server").asText());
        return new ApiClient(trusting(ca), server.getHost(), server.getPort(), token);
    }

    /** TLS that trusts only the given CA certificate (PEM or DER). */
    static SSLContext trusting(byte[] caCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = new ByteArrayInputStream(caCertificate)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    HttpConnection connect() throws Exception {
        SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(host, port);
        socket.setTcpNoDelay(true);
        var params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        return new HttpConnection(socket, host + ":" + port, token);
    }
}
