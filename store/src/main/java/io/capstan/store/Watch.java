package io.capstan.store;

import java.time.Duration;

/** A stream of changes under a prefix; close it when done. */
public interface Watch extends AutoCloseable {

    /**
     * The next event, waiting up to timeout; null when none came in time.
     *
     * @throws WatchClosedException when the store ended this watch (closed, or the watcher fell too far behind)
     */
    WatchEvent next(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
