package io.capstan.network.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncRunnerTest {

    @Test
    void aBurstOfChangesBecomesFewSyncs() {
        AtomicInteger syncs = new AtomicInteger();
        try (SyncRunner runner = new SyncRunner("test", Duration.ofMillis(500), syncs::incrementAndGet).start()) {
            for (int i = 0; i < 1000; i++) {
                runner.trigger();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> syncs.get() >= 1);
            runner.trigger();
            runner.trigger();
            await().atMost(Duration.ofSeconds(5)).until(() -> syncs.get() >= 2);
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> syncs.get() <= 3);
        }
    }

    @Test
    void aFailedSyncIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        try (SyncRunner runner = new SyncRunner("test", Duration.ZERO, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("iptables-restore failed");
            }
        }).start()) {
            runner.trigger();
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 2);
        }
    }
}
