package io.capstan.apiserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageQuantitiesTest {

    @Test
    void cpuTakesTheLargestDecimalSuffixThatKeepsItWhole() {
        assertThat(UsageQuantities.cpu(0)).isEqualTo("0");
        assertThat(UsageQuantities.cpu(123_456_789)).isEqualTo("123456789n");
        assertThat(UsageQuantities.cpu(1_500_000)).isEqualTo("1500u");
        assertThat(UsageQuantities.cpu(250_000_000)).isEqualTo("250m");
        assertThat(UsageQuantities.cpu(2_000_000_000L)).isEqualTo("2");
    }

    @Test
    void memoryTakesTheLargestBinarySuffixThatKeepsItWhole() {
        assertThat(UsageQuantities.memory(0)).isEqualTo("0");
        assertThat(UsageQuantities.memory(1000)).isEqualTo("1000");
        assertThat(UsageQuantities.memory(1_049_600)).isEqualTo("1025Ki");
        assertThat(UsageQuantities.memory(64L << 20)).isEqualTo("64Mi");
        assertThat(UsageQuantities.memory(3L << 30)).isEqualTo("3Gi");
    }
}
