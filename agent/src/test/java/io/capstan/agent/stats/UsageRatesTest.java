package io.capstan.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.ResourceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageRatesTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private final UsageRates rates = new UsageRates();

    private static ResourceUsage at(long seconds, long millis, long cpuNanos) {
        return new ResourceUsage(T0.plusSeconds(seconds).plusMillis(millis), cpuNanos, 1024);
    }

    @Test
    void aSingleReadingHasNoRate() {
        assertThat(rates.record("c", at(0, 0, 5_000_000_000L)).nanoCores()).isEmpty();
    }

    @Test
    void theRateIsTheCpuTimeBetweenTwoReadingsOverTheTimeBetweenThem() {
        rates.record("c", at(0, 0, 1_000_000_000L));
        UsageRates.Window w = rates.record("c", at(10, 0, 6_000_000_000L));
        assertThat(w.nanoCores()).hasValue(500_000_000L); // 5 s of CPU in 10 s: half a core
        assertThat(w.length()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aReadingTooSoonAfterTheLatestKeepsTheWindow() {
        rates.record("c", at(0, 0, 0));
        rates.record("c", at(2, 0, 2_000_000_000L));
        UsageRates.Window w = rates.record("c", at(2, 300, 9_000_000_000L));
        assertThat(w.latest().at()).isEqualTo(T0.plusSeconds(2));
        assertThat(w.nanoCores()).hasValue(1_000_000_000L);
    }

    @Test
    void theRateMovesOnWithEachKeptReading() {
        rates.record("c", at(0, 0, 0));
        rates.record("c", at(10, 0, 10_000_000_000L));
        UsageRates.Window w = rates.record("c", at(20, 0, 12_000_000_000L));
        assertThat(w.nanoCores()).hasValue(200_000_000L);
    }

    @Test
    void aCounterThatWentBackHasNoRate() {
        rates.record("c", at(0, 0, 9_000_000_000L));
        assertThat(rates.record("c", at(5, 0, 1_000_000_000L)).nanoCores()).isEmpty();
    }

    @Test
    void containersNotRetainedStartOver() {
        rates.record("gone", at(0, 0, 0));
        rates.record("kept", at(0, 0, 0));
        rates.retain(Set.of("kept"));
        assertThat(rates.record("gone", at(10, 0, 1_000_000_000L)).nanoCores()).isEmpty();
        assertThat(rates.record("kept", at(10, 0, 1_000_000_000L)).nanoCores()).hasValue(100_000_000L);
    }
}
