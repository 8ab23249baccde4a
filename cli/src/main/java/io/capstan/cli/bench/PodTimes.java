package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.WatchEvent;
import io.capstan.client.WatchStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows a pod watch in one namespace and notes, by pod name, when this client first saw the pod bound to a node
 * and first saw it Running (System.nanoTime()).
 */
final class PodTimes implements AutoCloseable {

    private final Map<String, CompletableFuture<Long>> bound = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Long>> running = new ConcurrentHashMap<>();
    private final Thread watcher;

    PodTimes(ApiClient api, String namespace, String resourceVersion) {
        watcher = Thread.ofVirtual().name("bench-pod-watch").start(() -> follow(api, namespace, resourceVersion));
    }

    CompletableFuture<Long> bound(String pod) {
        return bound.computeIfAbsent(pod, p -> new CompletableFuture<>());
    }

    CompletableFuture<Long> running(String pod) {
        return running.computeIfAbsent(pod, p -> new CompletableFuture<>());
    }

    private void follow(ApiClient api, String namespace, String resourceVersion) {
        String from = resourceVersion;
        while (!Thread.currentThread().isInterrupted()) {
            try (WatchStream stream = api.watch(Kinds.PODS, namespace, from, Duration.ofMinutes(30))) {
                Optional<WatchEvent> e;
                while ((e = stream.next()).isPresent()) {
                    long seen = System.nanoTime();
                    ObjectNode pod = e.get().object();
                    from = pod.path("metadata").path("resourceVersion").asText(from);
                    String name = Json.text(pod, "metadata", "name");
                    if (name == null) {
                        continue;
                    }
                    if (!pod.path("spec").path("nodeName").asText("").isEmpty()) {
                        bound(name).complete(seen);
                    }
                    if ("Running".equals(Json.text(pod, "status", "phase"))) {
                        running(name).complete(seen);
                    }
                }
            } catch (java.io.IOException | RuntimeException ex) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
