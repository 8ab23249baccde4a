package io.capstan.agent.probes;

import io.capstan.agent.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs scheduled tasks when a manual clock reaches them, on the test's thread. */
final class FakeScheduler implements ProbeScheduler {

    private final ManualClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private long seq;

    private final class Task implements Scheduled {
        final Instant due;
        final long order = seq++;
        final Runnable run;
        boolean cancelled;

        Task(Instant due, Runnable run) {
            this.due = due;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    FakeScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public Scheduled schedule(Runnable task, Duration delay) {
        Task t = new Task(clock.instant().plus(delay), task);
        tasks.add(t);
        return t;
    }

    /** Moves the clock forward one second at a time, running what falls due. */
    void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        runDue();
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofSeconds(1));
            runDue();
        }
    }

    void runDue() {
        while (true) {
            Task next = tasks.stream().filter(t -> !t.due.isAfter(clock.instant()))
                    .min(Comparator.<Task, Instant>comparing(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) {
                return;
            }
            tasks.remove(next);
            if (!next.cancelled) {
                next.run.run();
            }
        }
    }

    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
