package io.capstan.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static ServiceAccountTokens.Claims claims(Instant expires) {
        return new ServiceAccountTokens.Claims("team", "builder", "sa-uid", "Pod", "p", "pod-uid", List.of("api"), NOW, expires);
    }

    @Test
    void aSignedTokenVerifiesWithItsClaims() throws Exception {
        ServiceAccountTokens tokens = new ServiceAccountTokens(keys());
        String token = tokens.sign(claims(NOW.plusSeconds(3600)));
        assertThat(tokens.verify(token, NOW.plusSeconds(10))).contains(claims(NOW.plusSeconds(3600)));
    }

    @Test
    void theBodyCarriesKubernetesClaims() throws Exception {
        String token = new ServiceAccountTokens(keys()).sign(claims(NOW.plusSeconds(3600)));
        String body = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(body).contains("\"iss\":\"https://kubernetes.default.svc.cluster.local\"", "\"aud\":[\"api\"]",
                "\"sub\":\"system:serviceaccount:team:builder\"", "\"exp\":" + NOW.plusSeconds(3600).getEpochSecond(),
                "\"nbf\":" + NOW.getEpochSecond(), "\"pod\":{\"name\":\"p\",\"uid\":\"pod-uid\"}",
                "\"serviceaccount\":{\"name\":\"builder\",\"uid\":\"sa-uid\"}", "\"namespace\":\"team\"");
    }

    @Test
    void anExpiredTokenIsRejected() throws Exception {
        ServiceAccountTokens tokens = new ServiceAccountTokens(keys());
        String token = tokens.sign(claims(NOW.plusSeconds(600)));
        assertThat(tokens.verify(token, NOW.plusSeconds(600 + 61))).isEmpty();
    }

    @Test
    void aTokenFromAnotherKeyOrAlteredIsRejected() throws Exception {
        ServiceAccountTokens tokens = new ServiceAccountTokens(keys());
        String foreign = new ServiceAccountTokens(keys()).sign(claims(NOW.plusSeconds(3600)));
        assertThat(tokens.verify(foreign, NOW)).isEmpty();
        String[] parts = tokens.sign(claims(NOW.plusSeconds(3600))).split("\\.");
        String otherBody = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("builder", "admin12").getBytes());
        assertThat(tokens.verify(parts[0] + "." + otherBody + "." + parts[2], NOW)).isEmpty();
        assertThat(tokens.verify("not-a-jwt", NOW)).isEmpty();
    }
}
