package io.capstan.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** For controller tests (objects in namespace default): a FakeApi with one FakeCache per kind that {@link #sync()} refreshes, and a stand-in kubelet. */
public final class FakeCluster {

    public static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    public final FakeApi api = new FakeApi();
    public final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    public final EventRecorder events = new EventRecorder(api, "test", clock);
    private final Map<ResourceType, FakeCache> caches = new HashMap<>();

    public FakeCache cache(ResourceType type) {
        return caches.computeIfAbsent(type, t -> new FakeCache());
    }

    /** Makes every cache hold what the API holds now, as informers would after catching up. */
    public FakeCluster sync() {
        caches.forEach((type, cache) -> {
            cache.list().forEach(cache::remove);
            api.listAll(type, type.namespaced() ? "default" : "", Map.of()).items().forEach(cache::put);
        });
        return this;
    }

    /** Seeds an object into the API and its cache. */
    public ObjectNode seed(ResourceType type, ObjectNode object) {
        ObjectNode stored = api.seed(type, object);
        cache(type).put(stored.deepCopy());
        return stored;
    }

    /** Every pod in the API without a phase becomes Pending, then the given ones Running and Ready. */
    public FakeCluster kubelet(ResourceType pods, List<String> running) {
        for (ObjectNode pod : api.listAll(pods, "default", Map.of()).items()) {
            ObjectNode status = Json.with(pod, "status");
            if (!status.has("phase")) {
                status.put("phase", "Pending");
            }
            if (running.contains(Json.text(pod, "metadata", "name"))) {
                status.put("phase", "Running");
                status.putArray("conditions").addObject().put("type", "Ready").put("status", "True")
                        .put("lastTransitionTime", NOW.minusSeconds(60).toString());
            }
            api.seed(pods, pod);
        }
        return sync();
    }

    /** Writes (not counting events) in the order they were asked for. */
    public List<String> writes() {
        return api.actions().stream().filter(a -> !a.contains(" events ")).toList();
    }
}
