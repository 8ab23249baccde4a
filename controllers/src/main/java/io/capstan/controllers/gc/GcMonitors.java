package io.capstan.controllers.gc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import io.capstan.client.ApiClient;
import io.capstan.client.Discovery;
import io.capstan.client.Informer;
import io.capstan.client.WorkQueue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one informer per deletable kind the API serves (custom kinds come and go), feeds every
 * object into the owner graph and queues the uids the garbage collector must look at.
 */
final class GcMonitors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GcMonitors.class);
    /** Events are never owners worth following and are the most numerous writes, as Kubernetes' GC ignores them. */
    private static final List<String> IGNORED = List.of("events", "events.events.k8s.io");

    private final ApiClient api;
    private final OwnerGraph graph;
    private final WorkQueue<String> queue;
    private final Map<String, Informer> informers = new ConcurrentHashMap<>();
    private volatile List<ResourceType> kinds = List.of();

    GcMonitors(ApiClient api, OwnerGraph graph, WorkQueue<String> queue) {
        this.api = api;
        this.graph = graph;
        this.queue = queue;
    }

    /** Reads discovery again: starts informers for new kinds, stops those of kinds no longer served. */
    void resync() {
        List<ResourceType> served = new Discovery(api).deletableKinds().stream()
                .filter(t -> !IGNORED.contains(t.qualifiedResource())).toList();
        kinds = served;
        List<String> keys = served.stream().map(GcMonitors::key).toList();
        for (ResourceType type : served) {
            informers.computeIfAbsent(key(type), k -> new Informer(api, type, "").addHandler(handler(type)).start());
        }
        for (String key : List.copyOf(informers.keySet())) {
            if (!keys.contains(key)) {
                LOG.info("garbage collector: no longer watching {}", key);
                informers.remove(key).close();
            }
        }
    }

    /** The served kind an owner reference names. */
    Optional<ResourceType> kindOf(OwnerRef ref) {
        return kinds.stream().filter(t -> t.apiVersion().equals(ref.apiVersion()) && t.kind().equals(ref.kind())).findFirst()
                .or(() -> kinds.stream().filter(t -> t.kind().equals(ref.kind())
                        && t.group().equals(groupOf(ref.apiVersion()))).findFirst());
    }

    private static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private Informer.Handler handler(ResourceType type) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                changed(GraphNode.of(type, object));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode current) {
                changed(GraphNode.of(type, current));
            }

            @Override
            public void deleted(ObjectNode object) {
                GraphNode node = GraphNode.of(type, object);
                graph.remove(node.uid());
                // Its dependents may have lost their last owner; a foreground owner may have lost its last blocker.
                graph.dependents(node.uid()).forEach(d -> queue.add(d.uid()));
                node.owners().forEach(o -> queue.add(o.uid()));
            }
        };
    }

    private void changed(GraphNode node) {
        Optional<GraphNode> old = graph.put(node);
        if (!node.owners().isEmpty() || (node.deleting() && (node.has(GarbageCollector.ORPHAN) || node.has(GarbageCollector.FOREGROUND)))) {
            queue.add(node.uid());
        }
        if (node.deleting()) {
            node.owners().forEach(o -> queue.add(o.uid()));
        }
        // An owner reference removed from a dependent may leave a foreground owner unblocked.
        old.ifPresent(o -> o.owners().stream().filter(r -> !node.owners().contains(r)).forEach(r -> queue.add(r.uid())));
    }

    private static String key(ResourceType type) {
        return type.qualifiedResource() + "/" + type.version();
    }

    @Override
    public void close() {
        informers.values().forEach(Informer::close);
        informers.clear();
    }
}
