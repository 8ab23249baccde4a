package io.capstan.store.sqlite;

import io.capstan.store.Watch;
import io.capstan.store.WatchClosedException;
import io.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One watcher: history read at registration first, then live events pushed by the write path, in revision order. */
final class SqliteWatch implements Watch {

    /** A watcher this far behind is ended: Kubernetes' clients re-list and re-watch. */
    static final int CAPACITY = 10_000;
    private static final WatchEvent CLOSED = new WatchEvent(WatchEvent.Type.CREATED, new io.capstan.store.KeyValue("", new byte[0], 0, 0), null);

    private final String prefix;
    private final Deque<WatchEvent> history;
    private final LinkedBlockingQueue<WatchEvent> live = new LinkedBlockingQueue<>(CAPACITY + 1);
    private final Consumer<SqliteWatch> onClose;
    private volatile String closedReason;

    SqliteWatch(String prefix, List<WatchEvent> history, Consumer<SqliteWatch> onClose) {
        this.prefix = prefix;
        this.history = new ArrayDeque<>(history);
        this.onClose = onClose;
    }

    boolean wants(String key) {
        return key.startsWith(prefix);
    }

    /** Called by the writer, in revision order. */
    void deliver(WatchEvent event) {
        if (closedReason != null) {
            return;
        }
        if (live.size() >= CAPACITY || !live.offer(event)) {
            end("the watcher fell more than " + CAPACITY + " events behind");
        }
    }

    @Override
    public WatchEvent next(Duration timeout) throws InterruptedException {
        WatchEvent e = history.pollFirst();
        if (e != null) {
            return e;
        }
        if (closedReason != null) {
            throw new WatchClosedException(closedReason);
        }
        e = live.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (e == CLOSED || (e == null && closedReason != null)) {
            throw new WatchClosedException(closedReason);
        }
        return e;
    }

    /** Ends the watch from the store's side; the reader learns why on its next call. */
    void end(String reason) {
        if (closedReason == null) {
            closedReason = reason;
            live.clear();
            live.offer(CLOSED);
            onClose.accept(this);
        }
    }

    @Override
    public void close() {
        end("watch closed");
    }
}
