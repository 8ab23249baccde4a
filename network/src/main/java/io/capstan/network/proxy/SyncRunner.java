package io.capstan.network.proxy;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sync at most once per {@code minInterval}, however many changes arrive (kube-proxy's BoundedFrequencyRunner
 * with minSyncPeriod): a burst of watch events becomes one rewrite. A failed sync is retried with back-off.
 */
final class SyncRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Duration minInterval;
    private final Runnable sync;
    private final Semaphore pending = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;

    SyncRunner(String name, Duration minInterval, Runnable sync) {
        this.minInterval = minInterval;
        this.sync = sync;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::run);
    }

    SyncRunner start() {
        thread.start();
        return this;
    }

    /** Asks for a sync; cheap, and many calls before the next sync count as one. */
    void trigger() {
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    private void run() {
        long last = 0;
        Duration backoff = Duration.ofMillis(500);
        while (!closed) {
            try {
                if (!pending.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                long wait = last + minInterval.toNanos() - System.nanoTime();
                if (last != 0 && wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                pending.drainPermits();
                last = System.nanoTime();
                if (closed) {
                    return;
                }
                sync.run();
                backoff = Duration.ofMillis(500);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("service proxy sync failed, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                trigger();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
