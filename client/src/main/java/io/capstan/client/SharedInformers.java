package io.capstan.client;

import io.capstan.api.ResourceType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One informer per kind, shared by every controller that reads that kind; started together once all have registered. */
public final class SharedInformers implements AutoCloseable {

    private final ApiClient api;
    private final Map<String, Informer> informers = new ConcurrentHashMap<>();

    public SharedInformers(ApiClient api) {
        this.api = api;
    }

    /** The informer of a kind across all namespaces, indexed by namespace and controller; add handlers before {@link #start()}. */
    public Informer of(ResourceType type) {
        return informers.computeIfAbsent(type.qualifiedResource(), k -> Indexes.standard(new Informer(api, type, "")));
    }

    public void start() {
        informers.values().forEach(Informer::start);
    }

    /** Waits until every informer has delivered its first list; false on timeout. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Informer informer : informers.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !informer.awaitSynced(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        informers.values().forEach(Informer::close);
    }
}
