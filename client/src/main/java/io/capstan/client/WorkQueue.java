package io.capstan.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A work queue of keys, as client-go's: a key waits at most once however often it is added, is
 * never handed to two workers at once (added while in work, it comes back when done), and failed
 * keys return after a per-key exponential back-off.
 */
public final class WorkQueue<K> implements AutoCloseable {

    private static final Duration BASE_DELAY = Duration.ofMillis(5);
    private static final Duration MAX_DELAY = Duration.ofSeconds(300);

    private final LinkedHashSet<K> queue = new LinkedHashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final ScheduledExecutorService timer;
    private boolean closed;

    public WorkQueue(String name) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("queue-" + name).factory());
    }

    public synchronized void add(K key) {
        if (closed || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.add(key);
            notifyAll();
        }
    }

    /** Adds the key once the delay has passed. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds the key after its back-off: 5 ms, doubling with each failure since the last forget, at most 5 minutes. */
    public void addRateLimited(K key) {
        addAfter(key, nextBackoff(key));
    }

    /** Counts one more failure of the key and returns how long it waits now. */
    synchronized Duration nextBackoff(K key) {
        int n = failures.merge(key, 1, Integer::sum);
        long millis = BASE_DELAY.toMillis() << Math.min(n - 1, 30);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    /** Clears the key's failure count, after it was handled successfully. */
    public synchronized void forget(K key) {
        failures.remove(key);
    }

    /** The next key to work on, waiting for one; null once the queue is closed. */
    public synchronized K take() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        K key = queue.removeFirst();
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    /** Marks the key's work finished; if it was added meanwhile it is queued again. */
    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.add(key);
            notifyAll();
        }
    }

    public synchronized int length() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
        notifyAll();
    }
}
