package io.capstan.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.agent.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackOffTest {

    private final ManualClock clock = new ManualClock();
    private final RestartBackOff backOff = new RestartBackOff(clock);
    private final String key = RestartBackOff.key("uid-1", "app");

    /** The container runs for {@code ran}, then crashes; returns the back-off the agent would wait, if any. */
    private Duration crashAfter(Duration ran) {
        clock.advance(ran);
        Instant finished = clock.instant();
        var wait = backOff.tryRestart(key, finished);
        if (wait.isEmpty()) {
            return Duration.ZERO;
        }
        Duration d = wait.get();
        clock.advance(d);
        assertThat(backOff.tryRestart(key, finished)).isEmpty();
        return d;
    }

    @Test
    void firstCrashRestartsAtOnceThenBacksOffTenSecondsDoublingToFiveMinutes() {
        assertThat(crashAfter(Duration.ofSeconds(1))).isZero();
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(10);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(20);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(40);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(80);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(160);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(300);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(300);
    }

    @Test
    void stillInBackOffUntilTheBackOffHasPassedSinceTheContainerFinished() {
        crashAfter(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        Instant finished = clock.instant();
        assertThat(backOff.tryRestart(key, finished)).contains(Duration.ofSeconds(10));
        assertThat(backOff.restartAt(key, finished)).contains(finished.plusSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(backOff.tryRestart(key, finished)).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(1));
        assertThat(backOff.restartAt(key, finished)).isEmpty();
        assertThat(backOff.tryRestart(key, finished)).isEmpty();
        assertThat(backOff.current(key)).hasSeconds(20);
    }

    @Test
    void aContainerThatRanMoreThanTenMinutesStartsOverAtTenSeconds() {
        for (int i = 0; i < 5; i++) {
            crashAfter(Duration.ofSeconds(1));
        }
        assertThat(backOff.current(key)).hasSeconds(160);
        assertThat(crashAfter(Duration.ofMinutes(10).plusSeconds(1))).isZero();
        assertThat(backOff.current(key)).hasSeconds(10);
        assertThat(crashAfter(Duration.ofSeconds(1))).hasSeconds(10);
    }

    @Test
    void aContainerThatRanJustUnderTenMinutesKeepsDoubling() {
        crashAfter(Duration.ofSeconds(1));
        crashAfter(Duration.ofSeconds(1));
        assertThat(crashAfter(Duration.ofMinutes(9))).hasSeconds(20);
    }

    @Test
    void containersAreTrackedApartAndForgotten() {
        crashAfter(Duration.ofSeconds(1));
        String other = RestartBackOff.key("uid-1", "sidecar");
        assertThat(backOff.tryRestart(other, clock.instant())).isEmpty();
        assertThat(backOff.current(other)).hasSeconds(10);
        backOff.forget(key);
        assertThat(backOff.current(key)).isZero();
        assertThat(backOff.current(other)).hasSeconds(10);
    }

    @Test
    void collectDropsEntriesIdleForTwiceTheMaximum() {
        crashAfter(Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(10));
        backOff.collect();
        assertThat(backOff.current(key)).hasSeconds(10);
        clock.advance(Duration.ofSeconds(1));
        backOff.collect();
        assertThat(backOff.current(key)).isZero();
    }
}
