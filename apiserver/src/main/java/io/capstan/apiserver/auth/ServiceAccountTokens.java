package io.capstan.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs and checks service account tokens: ES256 JWTs with Kubernetes' claims (iss, sub
 * system:serviceaccount:NS:NAME, aud, exp, iat, nbf, jti and the private kubernetes.io claim naming
 * the namespace, the service account and the object the token is bound to).
 */
public final class ServiceAccountTokens {

    /** The issuer, and the audience a token gets when none is asked for and the API server accepts (as kubeadm's defaults). */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    public static final String USER_PREFIX = "system:serviceaccount:";

    /** What a token names: the service account and, when bound, the pod or secret (kind Pod or Secret). */
    public record Claims(String namespace, String serviceAccount, String serviceAccountUid, String boundKind, String boundName,
                         String boundUid, List<String> audiences, Instant issuedAt, Instant expires) {
        public Claims {
            audiences = List.copyOf(audiences);
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String ALG = "SHA256withECDSAinP1363Format";

    private final KeyPair keys;
    private final String keyId;

    public ServiceAccountTokens(KeyPair keys) {
        this.keys = keys;
        try {
            // As Kubernetes: the key id is the base64url SHA-256 of the public key's DER.
            this.keyId = B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String sign(Claims c) {
        ObjectNode header = Json.object().put("alg", "ES256").put("kid", keyId);
        ObjectNode body = Json.object();
        c.audiences().forEach(body.putArray("aud")::add);
        body.put("exp", c.expires().getEpochSecond()).put("iat", c.issuedAt().getEpochSecond()).put("iss", ISSUER)
                .put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = body.putObject("kubernetes.io").put("namespace", c.namespace());
        if (c.boundKind() != null) {
            k8s.putObject(c.boundKind().toLowerCase()).put("name", c.boundName()).put("uid", c.boundUid());
        }
        k8s.putObject("serviceaccount").put("name", c.serviceAccount()).put("uid", c.serviceAccountUid());
        body.put("nbf", c.issuedAt().getEpochSecond()).put("sub", USER_PREFIX + c.namespace() + ":" + c.serviceAccount());
        String signingInput = encode(header) + "." + encode(body);
        try {
            Signature s = Signature.getInstance(ALG);
            s.initSign(keys.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a service account token", e);
        }
    }

    /** The claims of a token this server signed that is valid at now, or empty (another kind of token, forged or expired). */
    public Optional<Claims> verify(String token, Instant now) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = Json.MAPPER.readTree(B64D.decode(parts[0]));
            if (!header.path("alg").asText().equals("ES256")) {
                return Optional.empty();
            }
            Signature s = Signature.getInstance(ALG);
            s.initVerify(keys.getPublic());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode body = Json.MAPPER.readTree(B64D.decode(parts[1]));
            if (!body.path("iss").asText().equals(ISSUER)) {
                return Optional.empty();
            }
            Instant exp = Instant.ofEpochSecond(body.path("exp").asLong());
            Instant nbf = Instant.ofEpochSecond(body.path("nbf").asLong());
            // As Kubernetes' JWT validation, a minute of leeway for clocks that differ.
            if (now.isAfter(exp.plusSeconds(60)) || now.plusSeconds(60).isBefore(nbf)) {
                return Optional.empty();
            }
            JsonNode k8s = body.path("kubernetes.io");
            String[] sub = body.path("sub").asText().split(":");
            if (!k8s.isObject() || sub.length != 4) {
                return Optional.empty();
            }
            String kind = k8s.has("pod") ? "Pod" : k8s.has("secret") ? "Secret" : null;
            JsonNode bound = kind == null ? null : k8s.path(kind.toLowerCase());
            List<String> aud = body.path("aud").isArray()
                    ? Json.MAPPER.convertValue(body.get("aud"), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class))
                    : List.of(body.path("aud").asText());
            return Optional.of(new Claims(k8s.path("namespace").asText(), k8s.path("serviceaccount").path("name").asText(),
                    k8s.path("serviceaccount").path("uid").asText(), kind, bound == null ? null : bound.path("name").asText(),
                    bound == null ? null : bound.path("uid").asText(), aud, Instant.ofEpochSecond(body.path("iat").asLong()), exp));
        } catch (Exception e) {
            return Optional.empty(); // not JSON, not base64, a bad signature encoding: not one of ours
        }
    }

    private static String encode(JsonNode node) {
        return B64.encodeToString(Json.bytes(node));
    }
}
