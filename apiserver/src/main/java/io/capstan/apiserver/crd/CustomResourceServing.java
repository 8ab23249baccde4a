package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.api.crd.CrdTypes;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.Keys;
import io.capstan.apiserver.registry.ObjectCodec;
import io.capstan.store.CompactedException;
import io.capstan.store.KeyNotFoundException;
import io.capstan.store.KeyValue;
import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import io.capstan.store.Watch;
import io.capstan.store.WatchClosedException;
import io.capstan.store.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the kinds CustomResourceDefinitions define: watches the definitions, registers and
 * unregisters their kinds, sets their NamesAccepted and Established conditions, and when a
 * definition is deleted stops serving its kind and deletes its objects (the
 * customresourcecleanup.apiextensions.k8s.io finalizer holds the definition until then).
 */
public final class CustomResourceServing implements AutoCloseable {

    static final String FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(CustomResourceServing.class);

    private final GenericRegistry registry;
    private final ResourceRegistry types;
    private final ResourceType crds;
    private final Clock clock;
    private final Map<String, List<ResourceType>> served = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread loop;

    public CustomResourceServing(GenericRegistry registry, ResourceRegistry types, Clock clock) {
        this.registry = registry;
        this.types = types;
        this.clock = clock;
        this.crds = types.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
    }

    /** Serves every stored definition now, then follows changes in the background. */
    public void start() {
        long revision = syncAll();
        loop = Thread.ofVirtual().name("crd-serving").start(() -> follow(revision));
    }

    private long syncAll() {
        RangeResult all = registry.store().range(Keys.prefix(crds, ""), null, 0, 0);
        Set<String> stored = new HashSet<>();
        for (KeyValue kv : all.items()) {
            ObjectNode crd = ObjectCodec.decode(kv);
            stored.add(Json.text(crd, "metadata", "name"));
            reconcile(crd);
        }
        for (String name : Set.copyOf(served.keySet())) {
            if (!stored.contains(name)) {
                List<ResourceType> before = served.remove(name);
                before.forEach(types::remove);
                if (!before.isEmpty()) {
                    deleteObjects(before.getFirst().qualifiedResource());
                }
            }
        }
        return all.revision();
    }

    private void follow(long revision) {
        long after = revision;
        while (!closed) {
            try (Watch watch = registry.store().watch(Keys.prefix(crds, ""), after)) {
                while (!closed) {
                    WatchEvent event = watch.next(Duration.ofSeconds(1));
                    if (event == null) {
                        continue;
                    }
                    after = event.revision();
                    awaitReadable(after);
                    ObjectNode crd = ObjectCodec.decode(event.kv());
                    if (event.type() == WatchEvent.Type.DELETED) {
                        gone(crd);
                    } else {
                        reconcile(crd);
                    }
                }
            } catch (CompactedException | WatchClosedException e) {
                after = resync(after); // fell behind: start again from what is stored now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("serving custom resources: {}", e.toString());
                    after = resync(after); // level-triggered: an event handled wrongly is made good by looking again
                }
            }
        }
    }

    /** Reconciles every stored definition again; returns the revision to watch from (the old one when that failed). */
    private long resync(long after) {
        try {
            Thread.sleep(closed ? 0 : 200);
            return closed ? after : syncAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return after;
        } catch (RuntimeException e) {
            LOG.warn("resyncing custom resource definitions: {}", e.toString());
            return after;
        }
    }

    /**
     * Waits (briefly) until reads see the revision a watch event announced: the store tells its
     * watchers of a write a moment before its reads show it, and reconciling writes back.
     */
    private void awaitReadable(long revision) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (registry.store().currentRevision() < revision && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** Brings serving and the definition's status in line with the definition. */
    void reconcile(ObjectNode crd) {
        String name = Json.text(crd, "metadata", "name");
        try {
            if (Json.at(crd, "metadata", "deletionTimestamp") != null) {
                gone(crd);
                registry.patch(crds, "", name, "", obj -> {
                    ArrayNode kept = Json.array();
                    Json.at(obj, "metadata", "finalizers").forEach(f -> {
                        if (!f.asText().equals(FINALIZER)) {
                            kept.add(f);
                        }
                    });
                    Json.with(obj, "metadata").set("finalizers", kept);
                    return obj;
                }, false);
                return;
            }
            serve(name, CrdTypes.of(crd));
            if (!hasFinalizer(crd)) {
                registry.patch(crds, "", name, "", obj -> {
                    JsonNode f = Json.at(obj, "metadata", "finalizers");
                    ArrayNode finalizers = f instanceof ArrayNode a ? a : Json.with(obj, "metadata").putArray("finalizers");
                    finalizers.add(FINALIZER);
                    return obj;
                }, false);
            }
            registry.patch(crds, "", name, "status", obj -> CrdStatus.accepted(obj, now()), false);
        } catch (StatusException e) {
            if (e.code() != 404) {
                LOG.warn("custom resource definition {}: {}", name, e.getMessage());
            }
        }
    }

    private void serve(String crdName, List<ResourceType> kinds) {
        List<ResourceType> before = served.put(crdName, kinds);
        if (kinds.equals(before)) {
            return;
        }
        // Re-added as a whole, so the group's versions stay in priority order (discovery's preferred version comes first).
        if (before != null) {
            before.forEach(types::remove);
        }
        for (ResourceType t : kinds) {
            types.find(t.group(), t.version(), t.plural()).ifPresent(types::remove);
            types.add(t);
        }
    }

    /** The definition is going or gone: stop serving its kind and delete every object of it. */
    private void gone(ObjectNode crd) {
        String name = Json.text(crd, "metadata", "name");
        List<ResourceType> before = served.remove(name);
        if (before != null) {
            before.forEach(types::remove);
        }
        String group = Json.text(crd, "spec", "group");
        String plural = Json.text(crd, "spec", "names", "plural");
        if (group != null && plural != null) {
            deleteObjects(plural + "." + group);
        }
    }

    private void deleteObjects(String qualifiedResource) {
        for (KeyValue kv : registry.store().range(Keys.root(qualifiedResource), null, 0, 0).items()) {
            try {
                registry.store().delete(kv.key(), 0);
            } catch (KeyNotFoundException e) {
                // already gone
            }
        }
    }

    private static boolean hasFinalizer(ObjectNode crd) {
        JsonNode f = Json.at(crd, "metadata", "finalizers");
        if (f != null) {
            for (JsonNode n : f) {
                if (n.asText().equals(FINALIZER)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        closed = true;
        if (loop != null) {
            loop.interrupt();
        }
    }
}
