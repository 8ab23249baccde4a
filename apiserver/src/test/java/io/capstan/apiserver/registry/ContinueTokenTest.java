package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.api.StatusException;
import org.junit.jupiter.api.Test;

class ContinueTokenTest {

    @Test
    void roundTrips() {
        ContinueToken t = new ContinueToken(42, "default/web-7");
        assertThat(ContinueToken.decode(t.encode())).isEqualTo(t);
    }

    @Test
    void readsAndWritesKubeApiserversFormat() throws Exception {
        // What kube-apiserver sends: base64url without padding of {"v":"meta.k8s.io/v1","rv":12345,"start":"kube-system/coredns\u0000"}.
        String fromKubernetes = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":\"meta.k8s.io/v1\",\"rv\":12345,\"start\":\"kube-system/coredns\\u0000\"}".getBytes());
        assertThat(ContinueToken.decode(fromKubernetes)).isEqualTo(new ContinueToken(12345, "kube-system/coredns"));
        var json = io.capstan.api.Json.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(new ContinueToken(7, "a/b").encode()));
        assertThat(json.path("v").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(json.path("rv").asLong()).isEqualTo(7);
        assertThat(json.path("start").asText()).isEqualTo("a/b\u0000");
    }

    @Test
    void aTokenWithoutARevisionIsRefusedWithKubernetesMessage() {
        String noRv = java.util.Base64.getUrlEncoder().encodeToString("{\"v\":\"meta.k8s.io/v1\",\"start\":\"a\\u0000\"}".getBytes());
        assertThatThrownBy(() -> ContinueToken.decode(noRv)).hasMessage(
                "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }

    @Test
    void garbageIsABadRequest() {
        for (String bad : new String[] {"garbage", "", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ", "%%%"}) {
            assertThatThrownBy(() -> ContinueToken.decode(bad)).isInstanceOf(StatusException.class)
                    .extracting(e -> ((StatusException) e).code()).isEqualTo(400);
        }
    }
}
