package io.capstan.cli;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A node join token in k3s's form, {@code K10<sha256 of the CA certificate>::node:<secret>}: the whole string
 * is the agent's bearer token, and the hash lets the agent trust the CA it fetches from /cacerts.
 */
record JoinToken(String caHash, String secret) {

    static JoinToken of(X509Certificate ca, String secret) {
        return new JoinToken(hash(ca), secret);
    }

    static JoinToken parse(String token) {
        String t = token.trim();
        int sep = t.indexOf("::");
        if (!t.startsWith("K10") || sep < 0 || !t.substring(sep + 2).startsWith("node:")) {
            throw new IllegalArgumentException("not a Capstan join token (K10<ca-hash>::node:<secret>); it is in the server's DATA/node-token");
        }
        return new JoinToken(t.substring(3, sep), t.substring(sep + 2 + "node:".length()));
    }

    @Override
    public String toString() {
        return "K10" + caHash + "::node:" + secret;
    }

    /**
     * Fetches the server's CA from /cacerts without trusting anything yet, and accepts it only when its hash is
     * the token's; returns it as PEM.
     */
    String fetchCa(URI server) throws Exception {
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.resolve("/cacerts")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the server at " + server + " answered /cacerts with HTTP " + answer.statusCode());
        }
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(answer.body().getBytes(StandardCharsets.US_ASCII)));
        if (!hash(ca).equals(caHash)) {
            throw new IllegalStateException("the CA of " + server + " does not match the join token: not the server the token is for");
        }
        return answer.body();
    }

    static String hash(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
