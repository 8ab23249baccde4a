package io.capstan.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void aKeyAddedManyTimesWaitsOnce() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.add("a");
            q.add("b");
            q.add("a");
            assertThat(q.length()).isEqualTo(2);
            assertThat(q.take()).isEqualTo("a");
            assertThat(q.take()).isEqualTo("b");
        }
    }

    @Test
    void aKeyAddedWhileInWorkComesBackOnlyWhenDone() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.add("a");
            String key = q.take();
            q.add("a");
            assertThat(q.length()).isZero();
            q.done(key);
            assertThat(q.length()).isEqualTo(1);
            assertThat(q.take()).isEqualTo("a");
        }
    }

    @Test
    void delayedKeysArriveAfterTheirDelay() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.addAfter("later", Duration.ofMillis(200));
            assertThat(q.length()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> q.length() == 1);
        }
    }

    @Test
    void failuresBackOffExponentiallyUpToFiveMinutesUntilForgotten() {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            assertThat(q.nextBackoff("k")).isEqualTo(Duration.ofMillis(5));
            assertThat(q.nextBackoff("k")).isEqualTo(Duration.ofMillis(10));
            assertThat(q.nextBackoff("k")).isEqualTo(Duration.ofMillis(20));
            assertThat(q.nextBackoff("other")).isEqualTo(Duration.ofMillis(5));
            for (int i = 0; i < 40; i++) {
                q.nextBackoff("k");
            }
            assertThat(q.nextBackoff("k")).isEqualTo(Duration.ofMinutes(5));
            q.forget("k");
            assertThat(q.nextBackoff("k")).isEqualTo(Duration.ofMillis(5));
        }
    }

    @Test
    void takeReturnsNullOnceClosed() throws Exception {
        WorkQueue<String> q = new WorkQueue<>("t");
        q.close();
        assertThat(q.take()).isNull();
    }
}
