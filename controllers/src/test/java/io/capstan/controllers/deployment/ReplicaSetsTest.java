package io.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.Json;
import org.junit.jupiter.api.Test;

class ReplicaSetsTest {

    @Test
    void templatesDifferingOnlyInHashLabelKeyOrderAndNullsAreTheSame() throws Exception {
        var a = Json.MAPPER.readTree("""
                {"metadata":{"labels":{"app":"web","pod-template-hash":"abc"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""");
        var b = Json.MAPPER.readTree("""
                {"spec":{"containers":[{"image":"i","name":"c"}]},"metadata":{"creationTimestamp":null,"labels":{"app":"web"}}}""");
        assertThat(ReplicaSets.sameTemplate(a, b)).isTrue();
        assertThat(ReplicaSets.templateHash(a, 0)).isEqualTo(ReplicaSets.templateHash(b, 0));
    }

    @Test
    void anImageChangeIsANewTemplateWithANewHash() throws Exception {
        var a = Json.MAPPER.readTree("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}");
        var b = Json.MAPPER.readTree("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:2\"}]}}");
        assertThat(ReplicaSets.sameTemplate(a, b)).isFalse();
        assertThat(ReplicaSets.templateHash(a, 0)).isNotEqualTo(ReplicaSets.templateHash(b, 0));
    }

    @Test
    void hashesUseKubernetesSafeAlphabetAndChangeWithCollisions() throws Exception {
        var a = Json.MAPPER.readTree("{\"spec\":{}}");
        assertThat(ReplicaSets.templateHash(a, 0)).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        assertThat(ReplicaSets.templateHash(a, 1)).isNotEqualTo(ReplicaSets.templateHash(a, 0));
    }
}
