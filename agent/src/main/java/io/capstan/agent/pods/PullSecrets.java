package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.runtime.image.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Finds a registry's credentials in a pod's imagePullSecrets (type kubernetes.io/dockerconfigjson or dockercfg). */
final class PullSecrets {

    private PullSecrets() {}

    /**
     * The first secret with an entry for the image's registry host wins, as the kubelet's keyring does.
     *
     * @param secrets the pod's pull secrets, already fetched, in the pod's order
     */
    static Optional<RegistryCredentials> forImage(String image, List<JsonNode> secrets) {
        String host = registryHost(image);
        for (JsonNode secret : secrets) {
            JsonNode data = secret.path("data");
            JsonNode auths = null;
            if (data.hasNonNull(".dockerconfigjson")) {
                auths = decode(data.path(".dockerconfigjson").asText()).path("auths");
            } else if (data.hasNonNull(".dockercfg")) {
                auths = decode(data.path(".dockercfg").asText());
            }
            if (auths == null) {
                continue;
            }
            for (var entry : auths.properties()) {
                if (hostOf(entry.getKey()).equals(host)) {
                    return credentials(entry.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<RegistryCredentials> credentials(JsonNode auth) {
        if (auth.hasNonNull("username")) {
            return Optional.of(new RegistryCredentials(auth.path("username").asText(), auth.path("password").asText("")));
        }
        if (auth.hasNonNull("auth")) {
            String pair = new String(Base64.getDecoder().decode(auth.path("auth").asText()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                return Optional.of(new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
            }
        }
        return Optional.empty();
    }

    private static JsonNode decode(String base64) {
        try {
            return Json.MAPPER.readTree(Base64.getDecoder().decode(base64));
        } catch (Exception e) {
            return Json.object();
        }
    }

    /** "https://index.docker.io/v1/" and "registry:5000/path" both name a host; Docker Hub's aliases are one. */
    static String hostOf(String key) {
        String s = key.replaceFirst("^https?://", "");
        int slash = s.indexOf('/');
        s = slash < 0 ? s : s.substring(0, slash);
        return s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? "docker.io" : s;
    }

    /** The registry of an image reference: the first path part when it looks like a host, else Docker Hub. */
    static String registryHost(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? hostOf(first) : "docker.io";
    }
}
