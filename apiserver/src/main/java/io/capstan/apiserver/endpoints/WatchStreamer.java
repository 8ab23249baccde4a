package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.Responses;
import io.capstan.apiserver.registry.Keys;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.ListResult;
import io.capstan.apiserver.registry.Lister;
import io.capstan.apiserver.registry.ObjectCodec;
import io.capstan.store.CompactedException;
import io.capstan.store.Store;
import io.capstan.store.Watch;
import io.capstan.store.WatchClosedException;
import io.capstan.store.WatchEvent;
import io.capstan.apiserver.http.WebSocketChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A watch as a stream of newline-delimited JSON events: initial state when asked, then every
 * change after the resourceVersion, filtered by selectors (an object leaving them is DELETED).
 */
final class WatchStreamer {

    /** Kubernetes closes watches without timeoutSeconds after 30 to 60 minutes so clients rebalance. */
    private static final long DEFAULT_TIMEOUT_SECONDS = 1800;

    private final Store store;
    private final Lister lister;
    private final Duration bookmarkInterval;

    WatchStreamer(Store store, Lister lister, Duration bookmarkInterval) {
        this.store = store;
        this.lister = lister;
        this.bookmarkInterval = bookmarkInterval;
    }

    void stream(Exchange exchange, ResourceType type, String namespace, ListOptions options, Renderer.Form form,
                String includeObject) throws IOException, InterruptedException {
        String rv = options.resourceVersion();
        boolean initial = rv == null || rv.isEmpty() || rv.equals("0") || exchange.queryFlag("sendInitialEvents");
        boolean bookmarks = exchange.queryFlag("allowWatchBookmarks");
        String timeoutParam = exchange.query("timeoutSeconds");
        long timeoutSeconds = timeoutParam == null ? DEFAULT_TIMEOUT_SECONDS * (1 + ThreadLocalRandom.current().nextInt(2))
                : Math.max(0, Lister.parseVersion(timeoutParam));
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();

        ListResult start = null;
        long from;
        if (initial) {
            start = lister.list(type, namespace, new ListOptions(options.labels(), options.fields(),
                    exchange.queryFlag("sendInitialEvents") ? rv : null, null, 0, null));
            from = start.resourceVersion();
        } else {
            from = Lister.parseVersion(rv);
        }
        Watch watch;
        try {
            watch = store.watch(Keys.prefix(type, namespace), from);
        } catch (CompactedException e) {
            ObjectNode gone = Responses.status(StatusException.gone("too old resource version: " + from + " (" + e.compacted() + ")"));
            deliver(exchange, form, () -> { }, out -> out.send("ERROR", gone));
            return;
        }
        EventShaper shaper = new EventShaper(type, options, form, includeObject);
        boolean initialEnd = exchange.queryFlag("sendInitialEvents") && bookmarks;
        ListResult initialState = start;
        deliver(exchange, form, watch::close, out -> {
            if (initialState != null) {
                for (ObjectNode obj : initialState.items()) {
                    out.send("ADDED", shaper.shape(obj));
                }
                if (initialEnd) {
                    ObjectNode bookmark = bookmark(type, from);
                    Json.with(bookmark, "metadata", "annotations").put("k8s.io/initial-events-end", "true");
                    out.send("BOOKMARK", shaper.shape(bookmark));
                }
            }
            out.flush();
            follow(out, watch, shaper, type, from, bookmarks, deadline);
        });
    }

    /** Sends every change until the deadline, with bookmarks when asked; returns when the watch ends. */
    private void follow(WatchSink out, Watch watch, EventShaper shaper, ResourceType type, long from, boolean bookmarks,
                        long deadline) throws IOException, InterruptedException {
        long lastRevision = from;
        long nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return;
                }
                long waitNanos = Math.min(deadline - now, bookmarks ? Math.max(1, nextBookmark - now) : Long.MAX_VALUE);
                WatchEvent event = watch.next(Duration.ofNanos(waitNanos));
                if (event == null) {
                    if (bookmarks && System.nanoTime() >= nextBookmark) {
                        // Bookmarks take the watch's form too: kube-apiserver turns them into a Table or PartialObjectMetadata.
                        out.send("BOOKMARK", shaper.shape(bookmark(type, Math.max(lastRevision, store.currentRevision()))));
                        out.flush();
                        nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
                    }
                    continue;
                }
                lastRevision = event.revision();
                EventShaper.Shaped shaped = shaper.shape(event);
                if (shaped != null) {
                    out.send(shaped.type(), shaped.object());
                    out.flush();
                }
            }
        } catch (WatchClosedException e) {
            // The client went away or fell too far behind; the stream simply ends and the client re-watches.
        }
    }

    /** Events for one watcher, written by {@link #deliver}'s caller to whichever sink the client asked for. */
    @FunctionalInterface
    private interface Delivery {
        void run(WatchSink out) throws IOException, InterruptedException;
    }

    /**
     * Over a WebSocket when the client asked for one (fabric8 does), running on the socket's own thread;
     * else as a chunked HTTP stream on this one. {@code cleanup} runs when the delivery ends either way.
     */
    private static void deliver(Exchange exchange, Renderer.Form form, Runnable cleanup, Delivery delivery)
            throws IOException, InterruptedException {
        if (exchange.webSocketRequested()) {
            exchange.upgrade(List.of(), channel -> {
                channel.onClose(cleanup);
                delivery.run(new WatchSink.OverWebSocket(channel));
            }, cleanup);
            return;
        }
        exchange.ignoreIdleTimeout();
        exchange.onFailure(cleanup);
        try {
            delivery.run(new WatchSink.OverHttp(exchange.openStream(200, Renderer.contentType(form, false))));
        } finally {
            cleanup.run();
        }
    }

    private static ObjectNode bookmark(ResourceType type, long revision) {
        ObjectNode b = Json.object().put("kind", type.kind()).put("apiVersion", type.apiVersion());
        b.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return b;
    }

    /** Turns store events into watch events for one watcher's selectors and form. */
    private static final class EventShaper {
        record Shaped(String type, ObjectNode object) {}

        private final ResourceType type;
        private final ListOptions options;
        private final Renderer.Form form;
        private final String includeObject;
        private boolean columnsSent;

        EventShaper(ResourceType type, ListOptions options, Renderer.Form form, String includeObject) {
            this.type = type;
            this.options = options;
            this.form = form;
            this.includeObject = includeObject;
        }

        Shaped shape(WatchEvent event) {
            ObjectNode now = ObjectCodec.decode(event.kv());
            ObjectNode before = event.prevKv() == null ? null : ObjectCodec.decode(event.prevKv());
            boolean matchesNow = matches(now);
            boolean matchedBefore = before != null && matches(before);
            return switch (event.type()) {
                case CREATED -> matchesNow ? new Shaped("ADDED", shape(now)) : null;
                case DELETED -> matchedBefore || matchesNow ? new Shaped("DELETED", shape(now)) : null;
                case UPDATED -> matchesNow && matchedBefore ? new Shaped("MODIFIED", shape(now))
                        : matchesNow ? new Shaped("ADDED", shape(now))
                        : matchedBefore ? new Shaped("DELETED", shape(now)) : null;
            };
        }

        private boolean matches(ObjectNode obj) {
            return options.labels().matches(obj) && options.fields().matches(obj);
        }

        ObjectNode shape(ObjectNode obj) {
            if (form == Renderer.Form.TABLE) {
                ObjectNode table = Renderer.table(type, List.of(obj), includeObject, !columnsSent,
                        Json.object().put("resourceVersion", obj.path("metadata").path("resourceVersion").asText("")));
                columnsSent = true;
                return table;
            }
            return form == Renderer.Form.METADATA ? Renderer.partial(obj) : obj;
        }
    }
}
