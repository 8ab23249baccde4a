package io.capstan.cli.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Create, get, list and watch figures for a running API server, measured the way clients see them (HTTPS + JSON). */
final class ApiBench {

    private final ApiClient api;
    private final PrintStream out;
    private final String namespace = "bench-" + Long.toString(System.currentTimeMillis(), 36);

    ApiBench(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    void run(int singleCreates, int parallelCreates, int clients, int listSize) throws Exception {
        api.send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}");
        creates("create, 1 client", "one-", singleCreates, 1);
        creates("create, " + clients + " clients", "many-", parallelCreates, clients);
        gets(parallelCreates, clients);
        int existing = singleCreates + parallelCreates;
        if (listSize > existing) {
            creates("(filling for list)", "fill-", listSize - existing, clients);
        }
        list(Math.max(listSize, existing));
        watchLatency(200);
    }

    private void creates(String label, String prefix, int n, int clients) throws Exception {
        Latencies latencies = new Latencies(n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        parallel(clients, () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + prefix + i
                        + "\",\"labels\":{\"bench\":\"yes\"}},\"data\":{\"payload\":\"" + "x".repeat(512) + "\"}}";
                long t = System.nanoTime();
                if (api.send("POST", "/api/v1/namespaces/" + namespace + "/configmaps", body) != 201) {
                    failures.incrementAndGet();
                }
                latencies.add(System.nanoTime() - t);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%-22s %7d objects %9.0f /s   p50 %6.2f ms   p99 %6.2f ms   failures %d%n",
                label, n, n / seconds, latencies.percentileMillis(50), latencies.percentileMillis(99), failures.get());
    }

    private void gets(int n, int clients) throws Exception {
        Latencies latencies = new Latencies(n);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        parallel(clients, () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                long t = System.nanoTime();
                api.send("GET", "/api/v1/namespaces/" + namespace + "/configmaps/many-" + i, null);
                latencies.add(System.nanoTime() - t);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%-22s %7d objects %9.0f /s   p50 %6.2f ms   p99 %6.2f ms%n",
                "get, " + clients + " clients", n, n / seconds, latencies.percentileMillis(50), latencies.percentileMillis(99));
    }

    private void list(int expected) throws Exception {
        Latencies latencies = new Latencies(5);
        int items = 0;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = api.sendForBody("GET", "/api/v1/namespaces/" + namespace + "/configmaps", null);
            latencies.add(System.nanoTime() - t);
            items = io.capstan.api.Json.MAPPER.readTree(r.body()).path("items").size();
        }
        out.printf("%-22s %7d objects   p50 %8.1f ms   max %8.1f ms (expected %d)%n",
                "list (5 runs)", items, latencies.percentileMillis(50), latencies.percentileMillis(100), expected);
    }

    private void watchLatency(int n) throws Exception {
        HttpResponse<java.io.InputStream> watch = api.stream("/api/v1/namespaces/" + namespace
                + "/configmaps?watch=1&labelSelector=watch%3Dyes&resourceVersion=" + currentRevision());
        Latencies latencies = new Latencies(n);
        try (BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < n; i++) {
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"watch-" + i
                        + "\",\"labels\":{\"watch\":\"yes\"}}}";
                long t = System.nanoTime();
                api.send("POST", "/api/v1/namespaces/" + namespace + "/configmaps", body);
                String line = events.readLine();
                latencies.add(System.nanoTime() - t);
                if (line == null || !line.contains("watch-" + i)) {
                    throw new IllegalStateException("unexpected watch event: " + line);
                }
            }
        }
        out.printf("%-22s %7d events    p50 %6.2f ms   p99 %6.2f ms (create sent -> event received)%n",
                "watch", n, latencies.percentileMillis(50), latencies.percentileMillis(99));
    }

    private String currentRevision() throws Exception {
        HttpResponse<byte[]> r = api.sendForBody("GET", "/api/v1/namespaces/" + namespace + "/configmaps?limit=1", null);
        return io.capstan.api.Json.MAPPER.readTree(r.body()).path("metadata").path("resourceVersion").asText();
    }

    /** Work the benchmark runs concurrently. */
    interface Task {
        void run() throws Exception;
    }

    private static void parallel(int clients, Task task) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    task.run();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }
}
