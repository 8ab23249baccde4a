package io.capstan.client;

import io.capstan.api.StatusException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one controller: workers take keys from its queue and reconcile them, retrying failures with back-off. */
public final class ControllerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

    private final String name;
    private final Reconciler reconciler;
    private final int workers;
    private final WorkQueue<String> queue;
    private final List<Thread> threads = new ArrayList<>();

    public ControllerLoop(String name, Reconciler reconciler, int workers) {
        this(name, new WorkQueue<>(name), reconciler, workers);
    }

    /** A loop over a queue made beforehand, for controllers whose event sources need the queue first. */
    public ControllerLoop(String name, WorkQueue<String> queue, Reconciler reconciler, int workers) {
        this.name = name;
        this.reconciler = reconciler;
        this.workers = workers;
        this.queue = queue;
    }

    /** The queue event handlers add keys to. */
    public WorkQueue<String> queue() {
        return queue;
    }

    public void start() {
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name(name + "-" + i).start(this::work));
        }
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                Result result = reconciler.reconcile(key);
                queue.forget(key);
                if (result.requeueAfter() != null) {
                    queue.addAfter(key, result.requeueAfter());
                }
            } catch (StatusException e) {
                LOG.debug("{} {}: {} ({}); retrying", name, key, e.getMessage(), e.code());
                queue.addRateLimited(key);
            } catch (Exception e) {
                LOG.warn("{} {}: {}; retrying", name, key, e.toString());
                queue.addRateLimited(key);
            } finally {
                queue.done(key);
            }
        }
    }

    @Override
    public void close() {
        queue.close();
        threads.forEach(Thread::interrupt);
    }
}
