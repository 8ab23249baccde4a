package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void cpuQuantitiesInMillicores() {
        assertThat(Quantities.milli("250m")).isEqualTo(250);
        assertThat(Quantities.milli("1")).isEqualTo(1000);
        assertThat(Quantities.milli("1.5")).isEqualTo(1500);
        assertThat(Quantities.milli("0.1")).isEqualTo(100);
        assertThat(Quantities.milli("100u")).isEqualTo(1); // rounded up, as Kubernetes rounds MilliValue
    }

    @Test
    void memoryQuantitiesWithBinaryAndDecimalSuffixes() {
        assertThat(Quantities.value("128Mi")).isEqualTo(128L << 20);
        assertThat(Quantities.value("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.value("1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.value("1k")).isEqualTo(1000);
        assertThat(Quantities.value("1e3")).isEqualTo(1000);
        assertThat(Quantities.value("32Gi")).isEqualTo(32L << 30);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> Quantities.milli("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantities.milli("1Xi")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantities.milli("")).isInstanceOf(IllegalArgumentException.class);
    }
}
