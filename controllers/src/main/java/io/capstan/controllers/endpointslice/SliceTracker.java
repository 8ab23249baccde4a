package io.capstan.controllers.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slices this controller last wrote, per Service, so a sync that runs before the cache has caught up waits
 * instead of creating a second set (the endpointSliceTracker's stale check).
 */
final class SliceTracker {

    /** Per Service key: slice name to the resourceVersion written, or -1 for a slice deleted. */
    private final Map<String, Map<String, Long>> written = new ConcurrentHashMap<>();
    /** When each Service's record was last added to: a slice someone else removed must not block it for ever. */
    private final Map<String, Long> since = new ConcurrentHashMap<>();
    private static final long PATIENCE_NANOS = 10_000_000_000L;

    void written(String service, ObjectNode slice) {
        since.put(service, System.nanoTime());
        written.computeIfAbsent(service, k -> new ConcurrentHashMap<>())
                .put(Json.text(slice, "metadata", "name"), revision(slice));
    }

    void deleted(String service, ObjectNode slice) {
        since.put(service, System.nanoTime());
        written.computeIfAbsent(service, k -> new ConcurrentHashMap<>()).put(Json.text(slice, "metadata", "name"), -1L);
    }

    void forget(String service) {
        written.remove(service);
        since.remove(service);
    }

    /** Whether the cached slices are older than what was written; once they are not, the record is dropped. */
    boolean stale(String service, List<ObjectNode> cached) {
        Map<String, Long> mine = written.get(service);
        if (mine == null) {
            return false;
        }
        if (System.nanoTime() - since.getOrDefault(service, 0L) > PATIENCE_NANOS) {
            forget(service);
            return false;
        }
        Map<String, Long> seen = new HashMap<>();
        cached.forEach(s -> seen.put(Json.text(s, "metadata", "name"), revision(s)));
        for (Map.Entry<String, Long> e : mine.entrySet()) {
            Long now = seen.get(e.getKey());
            boolean caughtUp = e.getValue() < 0 ? now == null : now != null && now >= e.getValue();
            if (!caughtUp) {
                return true;
            }
        }
        forget(service);
        return false;
    }

    private static long revision(ObjectNode slice) {
        try {
            return Long.parseLong(Json.text(slice, "metadata", "resourceVersion"));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
