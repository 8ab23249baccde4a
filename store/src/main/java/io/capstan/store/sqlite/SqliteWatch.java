package io.capstan.store.sqlite;

import io.capstan.store.CompactedException;
import io.capstan.store.KeyValue;
import io.capstan.store.Watch;
import io.capstan.store.WatchClosedException;
import io.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One watcher. It first pages through history from the table (after its start, up to the revision
 * published when it registered), then takes the live events the write path queued meanwhile.
 */
final class SqliteWatch implements Watch {

    /** A watcher this far behind is ended: Kubernetes' clients re-list and re-watch. */
    static final int CAPACITY = 10_000;
    private static final int PAGE = 500;
    /** Wakes a reader blocked in next() when the watch ends. */
    private static final WatchEvent ENDED = new WatchEvent(WatchEvent.Type.CREATED, new KeyValue("", new byte[0], 0, 0), null);

    /** Reads a page of history: rows of the span with after < id <= upTo, in revision order. */
    interface History {
        /** @throws CompactedException when compaction removed rows the page needed */
        List<Row> read(KeySpan span, long after, long upTo, int limit);
    }

    private final String prefix;
    private final long afterRevision;
    private final History history;
    private final Consumer<SqliteWatch> onClose;
    private final Deque<WatchEvent> page = new ArrayDeque<>();
    private final LinkedBlockingQueue<WatchEvent> live = new LinkedBlockingQueue<>();
    private final AtomicReference<String> endedBecause = new AtomicReference<>();
    private long historyCursor; // the reader's own: the last history revision read
    private long historyEnd = -1; // set once, at registration

    SqliteWatch(String prefix, long afterRevision, History history, Consumer<SqliteWatch> onClose) {
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.history = history;
        this.onClose = onClose;
        this.historyCursor = afterRevision;
    }

    /** Called once the hub registered this watch: history covers revisions up to published, the rest comes live. */
    void historyUpTo(long published) {
        historyEnd = published;
    }

    boolean wants(String key) {
        return key.startsWith(prefix);
    }

    /** Queues a live event (called by the hub, in revision order); false when this watch is over. */
    boolean offer(WatchEvent event) {
        if (endedBecause.get() != null) {
            return false;
        }
        if (event.revision() <= afterRevision) {
            return true; // published before this watch's start: not its business
        }
        if (live.size() >= CAPACITY) {
            end("the watcher fell more than " + CAPACITY + " events behind");
            return false;
        }
        live.add(event);
        return true;
    }

    @Override
    public WatchEvent next(Duration timeout) throws InterruptedException {
        throwIfEnded();
        WatchEvent e = nextFromHistory();
        if (e != null) {
            return e;
        }
        e = live.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (e == ENDED || e == null) {
            throwIfEnded();
        }
        return e;
    }

    private WatchEvent nextFromHistory() {
        if (page.isEmpty() && historyCursor < historyEnd) {
            List<Row> rows;
            try {
                rows = history.read(KeySpan.of(prefix, null), historyCursor, historyEnd, PAGE);
            } catch (CompactedException ex) {
                end("history after revision " + historyCursor + " was compacted while the watch read it");
                throw new WatchClosedException(endedBecause.get());
            }
            rows.forEach(r -> page.add(r.event()));
            // A short page is the last one: nothing more up to historyEnd.
            historyCursor = rows.size() < PAGE ? historyEnd : rows.getLast().id();
        }
        return page.poll();
    }

    private void throwIfEnded() {
        String reason = endedBecause.get();
        if (reason != null) {
            throw new WatchClosedException(reason);
        }
    }

    /** Ends the watch from the store's side; the reader learns why on its next call. */
    void end(String reason) {
        if (endedBecause.compareAndSet(null, reason)) {
            live.clear();
            live.add(ENDED);
        }
    }

    @Override
    public void close() {
        end("watch closed");
        onClose.accept(this);
    }
}
