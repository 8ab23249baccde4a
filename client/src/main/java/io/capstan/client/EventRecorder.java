package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects as Kubernetes components do: a repeat of the same
 * reason and message for the same object bumps the count of the earlier event instead of
 * writing a new one. Recording is best effort; the recorders components use are asynchronous,
 * like client-go's broadcaster: callers never wait, and when too many are pending the newest are dropped.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final ResourceType EVENTS = ResourceRegistry.withBuiltins().find("", "v1", "events").orElseThrow();
    private static final int REMEMBERED = 4096;
    private static final int PENDING = 1000;
    private static final java.util.concurrent.ExecutorService WRITERS = new java.util.concurrent.ThreadPoolExecutor(4, 4, 1,
            java.util.concurrent.TimeUnit.MINUTES, new java.util.concurrent.ArrayBlockingQueue<>(PENDING),
            Thread.ofVirtual().name("events-", 0).factory(), new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());

    private final Api api;
    private final String component;
    private final Clock clock;
    private final Map<String, ObjectNode> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > REMEMBERED;
        }
    };

    private final java.util.concurrent.Executor writer;

    /** A recorder that writes each event before returning (for tests, and callers that must know it was written). */
    public EventRecorder(Api api, String component, Clock clock) {
        this(api, component, clock, Runnable::run);
    }

    private EventRecorder(Api api, String component, Clock clock, java.util.concurrent.Executor writer) {
        this.api = api;
        this.component = component;
        this.clock = clock;
        this.writer = writer;
    }

    /** A recorder that never makes its caller wait, as components use it: events are written in the background. */
    public static EventRecorder async(Api api, String component, Clock clock) {
        return new EventRecorder(api, component, clock, WRITERS);
    }

    public void normal(JsonNode object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(JsonNode object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(JsonNode object, String type, String reason, String message) {
        JsonNode copy = object.deepCopy();
        writer.execute(() -> write(copy, type, reason, message));
    }

    private void write(JsonNode object, String type, String reason, String message) {
        JsonNode meta = object.path("metadata");
        String namespace = meta.path("namespace").asText("");
        String eventNamespace = namespace.isEmpty() ? "default" : namespace;
        String key = meta.path("uid").asText() + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            ObjectNode earlier;
            synchronized (recent) {
                earlier = recent.get(key);
            }
            ObjectNode written;
            if (earlier != null) {
                ObjectNode patch = Json.object().put("count", earlier.path("count").asInt(1) + 1).put("lastTimestamp", now);
                written = api.patch(EVENTS, eventNamespace, Json.text(earlier, "metadata", "name"), "", ApiClient.MERGE_PATCH, patch);
            } else {
                written = api.create(EVENTS, eventNamespace, event(object, eventNamespace, type, reason, message, now));
            }
            synchronized (recent) {
                recent.put(key, written);
            }
        } catch (StatusException e) {
            if (e.code() == 404) {
                synchronized (recent) {
                    recent.remove(key); // the earlier event was deleted or expired: write a new one next time
                }
            }
            LOG.debug("could not record event {} for {}: {}", reason, meta.path("name").asText(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("could not record event {} for {}: {}", reason, meta.path("name").asText(), e.toString());
        }
    }

    private ObjectNode event(JsonNode object, String namespace, String type, String reason, String message, String now) {
        JsonNode meta = object.path("metadata");
        ObjectNode e = Json.object().put("apiVersion", "v1").put("kind", "Event");
        byte[] suffix = new byte[8];
        ThreadLocalRandom.current().nextBytes(suffix);
        e.putObject("metadata").put("name", meta.path("name").asText() + "." + HexFormat.of().formatHex(suffix))
                .put("namespace", namespace);
        ObjectNode involved = e.putObject("involvedObject")
                .put("apiVersion", object.path("apiVersion").asText())
                .put("kind", object.path("kind").asText())
                .put("name", meta.path("name").asText())
                .put("uid", meta.path("uid").asText())
                .put("resourceVersion", meta.path("resourceVersion").asText());
        if (meta.hasNonNull("namespace")) {
            involved.put("namespace", meta.path("namespace").asText());
        }
        e.put("reason", reason).put("message", message).put("type", type)
                .put("firstTimestamp", now).put("lastTimestamp", now).put("count", 1)
                .put("reportingComponent", component).put("reportingInstance", "");
        e.putObject("source").put("component", component);
        return e;
    }

}
