package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Where the API is and how to prove who we are: the server URL, a bearer token and the cluster CA.
 *
 * @param server e.g. https://127.0.0.1:6443
 * @param token the bearer token sent on every request
 * @param caPem the PEM of the CA that signed the serving certificate
 */
public record ClientConfig(URI server, String token, String caPem) {

    /** Reads the first cluster and user of a token kubeconfig (as `capstan server` writes it). */
    public static ClientConfig fromKubeconfig(Path kubeconfig) throws IOException {
        JsonNode config = Json.YAML.readTree(Files.readString(kubeconfig));
        JsonNode cluster = config.path("clusters").path(0).path("cluster");
        String token = config.path("users").path(0).path("user").path("token").asText();
        String ca = new String(Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()),
                StandardCharsets.US_ASCII);
        return new ClientConfig(URI.create(cluster.path("server").asText()), token, ca);
    }
}
