package io.capstan.scheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Pods waiting for a node: the active queue orders them by priority, then by arrival; pods no
 * node could take wait aside until the cluster changes (or a minute passes), as Kubernetes'
 * unschedulable queue does.
 */
final class SchedulingQueue {

    private record Entry(String key, int priority, long seq) {}

    private static final Duration UNSCHEDULABLE_FLUSH = Duration.ofSeconds(60);

    private final PriorityQueue<Entry> active = new PriorityQueue<>((a, b) -> a.priority != b.priority
            ? Integer.compare(b.priority, a.priority) : Long.compare(a.seq, b.seq));
    private final Map<String, Entry> queued = new HashMap<>();
    private final Map<String, Long> unschedulable = new HashMap<>();
    private final Map<String, Integer> priorities = new HashMap<>();
    private long seq;
    private boolean closed;

    synchronized void add(String key, int priority) {
        priorities.put(key, priority);
        if (queued.containsKey(key) || unschedulable.containsKey(key)) {
            return;
        }
        Entry e = new Entry(key, priority, seq++);
        queued.put(key, e);
        active.add(e);
        notifyAll();
    }

    /** The pod could not be placed: it waits until {@link #clusterChanged()} or the periodic flush. */
    synchronized void parkUnschedulable(String key) {
        unschedulable.put(key, System.nanoTime());
    }

    /** Something changed that may let parked pods fit: they go back to the active queue. */
    synchronized void clusterChanged() {
        if (unschedulable.isEmpty()) {
            return;
        }
        for (String key : unschedulable.keySet()) {
            Entry e = new Entry(key, priorities.getOrDefault(key, 0), seq++);
            queued.put(key, e);
            active.add(e);
        }
        unschedulable.clear();
        notifyAll();
    }

    synchronized void forget(String key) {
        Entry e = queued.remove(key);
        if (e != null) {
            active.remove(e);
        }
        unschedulable.remove(key);
        priorities.remove(key);
    }

    /** The next pod to schedule; null once closed. Parked pods older than the flush interval come back on their own. */
    synchronized String take() throws InterruptedException {
        while (true) {
            if (closed) {
                return null;
            }
            flushOld();
            Entry e = active.poll();
            if (e != null) {
                queued.remove(e.key());
                return e.key();
            }
            wait(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private void flushOld() {
        long now = System.nanoTime();
        var it = unschedulable.entrySet().iterator();
        while (it.hasNext()) {
            var u = it.next();
            if (now - u.getValue() > UNSCHEDULABLE_FLUSH.toNanos()) {
                it.remove();
                Entry e = new Entry(u.getKey(), priorities.getOrDefault(u.getKey(), 0), seq++);
                queued.put(u.getKey(), e);
                active.add(e);
            }
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
