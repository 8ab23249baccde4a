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
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
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
            OutputStream out = exchange.openStream(200, Renderer.contentType(form, false));
            write(out, "ERROR", Responses.status(StatusException.gone("too old resource version: " + from + " (" + e.compacted() + ")")));
            return;
        }
        exchange.ignoreIdleTimeout();
        exchange.onFailure(watch::close);
        try (watch) {
            OutputStream out = exchange.openStream(200, Renderer.contentType(form, false));
            EventShaper shaper = new EventShaper(type, options, form, includeObject);
            if (start != null) {
                for (ObjectNode obj : start.items()) {
                    write(out, "ADDED", shaper.shape(obj));
                }
                if (exchange.queryFlag("sendInitialEvents") && bookmarks) {
                    ObjectNode bookmark = bookmark(type, from);
                    Json.with(bookmark, "metadata", "annotations").put("k8s.io/initial-events-end", "true");
                    write(out, "BOOKMARK", bookmark);
                }
            }
            out.flush();
            long lastRevision = from;
            long nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return;
                }
                long waitNanos = Math.min(deadline - now, bookmarks ? Math.max(1, nextBookmark - now) : Long.MAX_VALUE);
                WatchEvent event = watch.next(Duration.ofNanos(waitNanos));
                if (event == null) {
                    if (bookmarks && System.nanoTime() >= nextBookmark) {
                        write(out, "BOOKMARK", bookmark(type, Math.max(lastRevision, store.currentRevision())));
                        out.flush();
                        nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
                    }
                    continue;
                }
                lastRevision = event.revision();
                EventShaper.Shaped shaped = shaper.shape(event);
                if (shaped != null) {
                    write(out, shaped.type(), shaped.object());
                    out.flush();
                }
            }
        } catch (WatchClosedException e) {
            // The client went away or fell too far behind; the stream simply ends and the client re-watches.
        }
    }

    private static ObjectNode bookmark(ResourceType type, long revision) {
        ObjectNode b = Json.object().put("kind", type.kind()).put("apiVersion", type.apiVersion());
        b.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return b;
    }

    private static void write(OutputStream out, String type, ObjectNode object) throws IOException {
        ObjectNode event = Json.object().put("type", type);
        event.set("object", object);
        out.write(Json.bytes(event));
        out.write('\n');
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
                ObjectNode table = Renderer.table(type, java.util.List.of(obj), includeObject, !columnsSent,
                        Json.object().put("resourceVersion", obj.path("metadata").path("resourceVersion").asText("")));
                columnsSent = true;
                return table;
            }
            return form == Renderer.Form.METADATA ? Renderer.partial(obj) : obj;
        }
    }
}
