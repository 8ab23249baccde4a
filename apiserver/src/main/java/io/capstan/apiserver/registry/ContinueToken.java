package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque continue parameter of a paged list, in kube-apiserver's own format: the revision and the last key returned. */
public record ContinueToken(long revision, String startAfter) {

    public String encode() {
        var node = Json.object().put("v", "meta.k8s.io/v1").put("rv", revision).put("start", startAfter + "\u0000");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(node));
    }

    public static ContinueToken decode(String token) {
        try {
            JsonNode node = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token.replace('+', '-')
                    .replace('/', '_').replace("=", "")), StandardCharsets.UTF_8));
            String start = node.path("start").asText("");
            long rv = node.path("rv").asLong(0);
            if (!"meta.k8s.io/v1".equals(node.path("v").asText()) || rv <= 0 || !start.endsWith("\u0000")) {
                throw invalid();
            }
            return new ContinueToken(rv, start.substring(0, start.length() - 1));
        } catch (StatusException e) {
            throw e;
        } catch (Exception e) {
            throw invalid();
        }
    }

    private static StatusException invalid() {
        return StatusException.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
}
