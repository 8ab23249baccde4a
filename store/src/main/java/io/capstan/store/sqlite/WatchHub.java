package io.capstan.store.sqlite;

import io.capstan.store.WatchEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The open watches and the published revision. Publishing and registering exclude each other, so a
 * new watch knows exactly which revisions it must read from the table (up to the published one) and
 * which it is sent live (all later ones): nothing falls between, nothing comes twice.
 */
final class WatchHub {

    private final List<SqliteWatch> watches = new ArrayList<>(); // guarded by this
    private volatile long published;
    private boolean closed; // guarded by this

    WatchHub(long published) {
        this.published = published;
    }

    /** The newest revision whose change every watch has been sent. */
    long published() {
        return published;
    }

    /** Adds watch, telling it up to which revision it must read history itself. */
    synchronized void register(SqliteWatch watch) {
        watch.historyUpTo(published);
        if (closed) {
            watch.end("store closed");
        } else {
            watches.add(watch);
        }
    }

    synchronized void remove(SqliteWatch watch) {
        watches.remove(watch);
    }

    /**
     * Makes committed rows the published revision, then sends them, in revision order, to the watches
     * they concern; in that order, a watcher that reads at once after an event finds the change it was told of.
     */
    synchronized void publish(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        published = rows.getLast().id();
        for (Row row : rows) {
            WatchEvent event = null;
            for (Iterator<SqliteWatch> it = watches.iterator(); it.hasNext(); ) {
                SqliteWatch watch = it.next();
                if (watch.wants(row.name())) {
                    event = event == null ? row.event() : event;
                    if (!watch.offer(event)) {
                        it.remove();
                    }
                }
            }
        }
    }

    synchronized void closeAll(String reason) {
        closed = true;
        watches.forEach(w -> w.end(reason));
        watches.clear();
    }
}
