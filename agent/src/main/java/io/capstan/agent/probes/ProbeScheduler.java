package io.capstan.agent.probes;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs probe steps later; a fake one drives the timing in tests. */
public interface ProbeScheduler {

    /** Something scheduled, which can be called off. */
    interface Scheduled {
        void cancel();
    }

    Scheduled schedule(Runnable task, Duration delay);

    /**
     * A scheduler whose tasks each run on a new virtual thread, so a slow check (an HTTP probe waiting out its
     * timeout) holds up no other probe.
     */
    static ProbeScheduler virtualThreads() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("probe-timer").factory());
        return (task, delay) -> {
            var future = timer.schedule(() -> Thread.ofVirtual().name("probe").start(task), delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
