package io.capstan.store;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compacts a store in the background, keeping the newest revisions, as Kubernetes compacts etcd every five minutes. */
public final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Store store;
    private final Duration interval;
    private final long keepRevisions;
    private Thread thread;

    public Compactor(Store store, Duration interval, long keepRevisions) {
        this.store = store;
        this.interval = interval;
        this.keepRevisions = keepRevisions;
    }

    /** Starts compacting every interval; a second call does nothing. */
    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("compactor").start(this::loop);
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                compactOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("compaction failed; trying again in {}", interval, e);
            }
        }
    }

    /** One pass: compacts up to current revision minus the revisions kept. */
    public void compactOnce() {
        long target = store.currentRevision() - keepRevisions;
        if (target > store.compactedRevision()) {
            store.compact(target);
            LOG.debug("compacted to revision {}", target);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
