package io.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.Json;
import org.junit.jupiter.api.Test;

class RollingMathTest {

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() throws Exception {
        var d = Json.MAPPER.readTree("""
                {"spec":{"replicas":10,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}""");
        assertThat(RollingMath.limits(d)).isEqualTo(new RollingMath.Limits(3, 2));
    }

    @Test
    void theDefaultsAre25PercentEach() throws Exception {
        var d = Json.MAPPER.readTree("{\"spec\":{\"replicas\":4}}");
        assertThat(RollingMath.limits(d)).isEqualTo(new RollingMath.Limits(1, 1));
    }

    @Test
    void zeroSurgeAndZeroUnavailableMeansOneUnavailable() throws Exception {
        var d = Json.MAPPER.readTree("""
                {"spec":{"replicas":3,"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}}""");
        assertThat(RollingMath.limits(d)).isEqualTo(new RollingMath.Limits(0, 1));
    }

    @Test
    void theNewReplicaSetGrowsOnlyWithinTheSurge() {
        assertThat(RollingMath.newReplicaSetReplicas(4, 1, 4, 0)).isEqualTo(1);
        assertThat(RollingMath.newReplicaSetReplicas(4, 1, 5, 1)).isEqualTo(1);
        assertThat(RollingMath.newReplicaSetReplicas(4, 2, 4, 2)).isEqualTo(4);
        assertThat(RollingMath.newReplicaSetReplicas(4, 10, 0, 0)).isEqualTo(4);
    }
}
