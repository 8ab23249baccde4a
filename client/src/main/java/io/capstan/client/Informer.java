package io.capstan.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list-then-watch cache of one kind, as client-go's informer: it lists, tells its handler what
 * changed, follows the watch from the list's resourceVersion, and lists again when the watch is
 * gone (410) or broken. Handlers run on the informer's own thread, one event at a time.
 */
public final class Informer implements ObjectCache, AutoCloseable {

    /** What an informer reports; handlers should only enqueue keys. */
    public interface Handler {
        default void added(ObjectNode object) {}

        default void updated(ObjectNode old, ObjectNode current) {}

        default void deleted(ObjectNode object) {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);
    private static final Duration WATCH_TIMEOUT = Duration.ofMinutes(5);

    private final ApiClient api;
    private final ResourceType type;
    private final String namespace;
    private final Map<String, String> selectors;
    private final List<Handler> handlers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> cache = new ConcurrentHashMap<>();
    private final Map<String, Index> indexes = new ConcurrentHashMap<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile WatchStream current;
    private Thread thread;

    /** An informer of every object of the kind in namespace ("" for all namespaces). */
    public Informer(ApiClient api, ResourceType type, String namespace) {
        this(api, type, namespace, Map.of());
    }

    /**
     * An informer of the objects a label and field selector pick (query parameters labelSelector and
     * fieldSelector), as a kubelet watches only the pods bound to its node.
     */
    public Informer(ApiClient api, ResourceType type, String namespace, Map<String, String> selectors) {
        this.api = api;
        this.type = type;
        this.namespace = namespace;
        this.selectors = Map.copyOf(selectors);
    }

    public ResourceType type() {
        return type;
    }

    /** Keeps an index of objects by the values fn gives each (e.g. its namespace, its controller's uid); call before start. */
    public Informer addIndex(String name, java.util.function.Function<ObjectNode, List<String>> fn) {
        indexes.putIfAbsent(name, new Index(fn));
        return this;
    }

    @Override
    public List<ObjectNode> byIndex(String name, String value) {
        Index index = indexes.get(name);
        if (index == null) {
            return List.of();
        }
        Map<String, Boolean> keys = index.byValue.get(value);
        if (keys == null) {
            return List.of();
        }
        List<ObjectNode> found = new ArrayList<>(keys.size());
        for (String key : keys.keySet()) {
            ObjectNode o = cache.get(key);
            if (o != null) {
                found.add(o);
            }
        }
        return found;
    }

    /** One secondary index: value to the keys of the objects having it. */
    private record Index(java.util.function.Function<ObjectNode, List<String>> fn, Map<String, Map<String, Boolean>> byValue) {
        Index(java.util.function.Function<ObjectNode, List<String>> fn) {
            this(fn, new ConcurrentHashMap<>());
        }

        void update(String key, ObjectNode old, ObjectNode current) {
            if (old != null) {
                for (String v : fn.apply(old)) {
                    Map<String, Boolean> keys = byValue.get(v);
                    if (keys != null) {
                        keys.remove(key);
                        if (keys.isEmpty()) {
                            byValue.remove(v, keys);
                        }
                    }
                }
            }
            if (current != null) {
                for (String v : fn.apply(current)) {
                    byValue.computeIfAbsent(v, k -> new ConcurrentHashMap<>()).put(key, Boolean.TRUE);
                }
            }
        }
    }

    /** Adds a handler; call before start. */
    public Informer addHandler(Handler handler) {
        handlers.add(handler);
        return this;
    }

    public synchronized Informer start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("informer-" + type.qualifiedResource()).start(this::run);
        }
        return this;
    }

    /** Whether the first list has been delivered. */
    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    /** Waits until the first list has been delivered; false on timeout. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<ObjectNode> get(String namespace, String name) {
        return Optional.ofNullable(cache.get(ObjectCache.key(namespace, name)));
    }

    @Override
    public List<ObjectNode> list() {
        return new ArrayList<>(cache.values());
    }

    private void run() {
        Duration backoff = Duration.ofMillis(200);
        while (!closed) {
            try {
                ListPage page = api.listAll(type, namespace, selectors);
                replace(page.items());
                synced.countDown();
                backoff = Duration.ofMillis(200);
                String rv = page.resourceVersion();
                while (!closed) {
                    rv = follow(rv);
                }
            } catch (StatusException e) {
                if (e.code() != 410 && !closed) {
                    LOG.warn("{} informer: {} ({}); listing again in {} ms", type.qualifiedResource(), e.getMessage(), e.code(), backoff.toMillis());
                    backoff = pause(backoff);
                }
            } catch (RuntimeException | java.io.IOException e) {
                if (!closed) {
                    LOG.debug("{} informer: {}; listing again in {} ms", type.qualifiedResource(), e.toString(), backoff.toMillis());
                    backoff = pause(backoff);
                }
            }
        }
    }

    /** Follows one watch request to its end; returns the resourceVersion to continue from. */
    private String follow(String rv) throws java.io.IOException {
        try (WatchStream stream = api.watch(type, namespace, rv, WATCH_TIMEOUT, selectors)) {
            current = stream;
            if (closed) {
                return rv;
            }
            Optional<WatchEvent> next;
            while ((next = stream.next()).isPresent()) {
                WatchEvent event = next.get();
                ObjectNode obj = event.object();
                switch (event.type()) {
                    case "ADDED", "MODIFIED" -> put(obj);
                    case "DELETED" -> remove(obj);
                    case "ERROR" -> throw Statuses.toException(obj, obj.path("code").asInt(500));
                    default -> { }
                }
                String eventRv = obj.path("metadata").path("resourceVersion").asText("");
                if (!eventRv.isEmpty()) {
                    rv = eventRv;
                }
            }
            return rv;
        }
    }

    private void replace(List<ObjectNode> items) {
        Map<String, ObjectNode> fresh = new HashMap<>();
        items.forEach(o -> fresh.put(ObjectCache.key(o), o));
        for (Map.Entry<String, ObjectNode> old : Map.copyOf(cache).entrySet()) {
            if (!fresh.containsKey(old.getKey())) {
                cache.remove(old.getKey());
                indexes.values().forEach(i -> i.update(old.getKey(), old.getValue(), null));
                notify(h -> h.deleted(old.getValue()));
            }
        }
        items.forEach(this::put);
    }

    private void put(ObjectNode obj) {
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        String key = ObjectCache.key(obj);
        ObjectNode old = cache.put(key, obj);
        indexes.values().forEach(i -> i.update(key, old, obj));
        if (old == null) {
            notify(h -> h.added(obj));
        } else if (!old.path("metadata").path("resourceVersion").equals(obj.path("metadata").path("resourceVersion"))) {
            notify(h -> h.updated(old, obj));
        }
    }

    private void remove(ObjectNode obj) {
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        String key = ObjectCache.key(obj);
        ObjectNode old = cache.remove(key);
        if (old != null) {
            indexes.values().forEach(i -> i.update(key, old, null));
        }
        notify(h -> h.deleted(old != null ? old : obj));
    }

    private void notify(java.util.function.Consumer<Handler> call) {
        for (Handler h : handlers) {
            try {
                call.accept(h);
            } catch (RuntimeException e) {
                LOG.error("{} informer handler failed", type.qualifiedResource(), e);
            }
        }
    }

    private Duration pause(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : next;
    }

    @Override
    public void close() {
        closed = true;
        WatchStream stream = current;
        if (stream != null) {
            stream.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
