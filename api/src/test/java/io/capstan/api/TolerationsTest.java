package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TolerationsTest {

    @Test
    void equalNeedsTheSameKeyValueAndEffect() throws Exception {
        var tolerations = Json.MAPPER.readTree("[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]");

        assertThat(Tolerations.tolerates(tolerations, "dedicated", "db", "NoSchedule")).isTrue();
        assertThat(Tolerations.tolerates(tolerations, "dedicated", "web", "NoSchedule")).isFalse();
        assertThat(Tolerations.tolerates(tolerations, "dedicated", "db", "NoExecute")).isFalse();
    }

    @Test
    void existsWithoutAKeyToleratesEveryTaintOfItsEffect() throws Exception {
        var tolerations = Json.MAPPER.readTree("[{\"operator\":\"Exists\",\"effect\":\"NoExecute\"}]");

        assertThat(Tolerations.tolerates(tolerations, "node.kubernetes.io/unreachable", "", "NoExecute")).isTrue();
        assertThat(Tolerations.tolerates(tolerations, "node.kubernetes.io/unreachable", "", "NoSchedule")).isFalse();
    }

    @Test
    void aMissingOperatorMeansEqualAndAMissingEffectMatchesAll() throws Exception {
        var tolerations = Json.MAPPER.readTree("[{\"key\":\"k\",\"value\":\"v\"}]");

        assertThat(Tolerations.tolerates(tolerations, "k", "v", "NoExecute")).isTrue();
        assertThat(Tolerations.tolerates(tolerations, "k", "w", "NoExecute")).isFalse();
    }
}
