package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Create, get, list and watch figures for a running API server, measured the way clients see them
 * (HTTPS + JSON, one kept-alive connection per client), with the server's CPU time per request when
 * the server is a local process.
 */
final class ApiBench {

    private static final String PAYLOAD = "x".repeat(512);

    private final ApiClient api;
    private final PrintStream out;
    private final LongSupplier serverCpuMillis;
    private final String namespace = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    private final String configMaps = "/api/v1/namespaces/" + namespace + "/configmaps";

    /** serverCpuMillis: the server process's CPU time so far, or -1 when it is not known. */
    ApiBench(ApiClient api, PrintStream out, LongSupplier serverCpuMillis) {
        this.api = api;
        this.out = out;
        this.serverCpuMillis = serverCpuMillis;
    }

    void run(int singleCreates, int parallelCreates, int clients, int listSize, int watchEvents) throws Exception {
        try (HttpConnection c = api.connect()) {
            int status = c.send("POST", "/api/v1/namespaces",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}").status();
            if (status != 201) {
                throw new IllegalStateException("could not create namespace " + namespace + ": " + status);
            }
        }
        creates("(warm-up)", "warm-", Math.min(2_000, parallelCreates), clients, false);
        creates("create, 1 client", "one-", singleCreates, 1, true);
        creates("create, " + clients + " clients", "many-", parallelCreates, clients, true);
        gets(parallelCreates, clients);
        int existing = Math.min(2_000, parallelCreates) + singleCreates + parallelCreates;
        if (listSize > existing) {
            creates("(filling for list)", "fill-", listSize - existing, clients, false);
        }
        list(Math.max(listSize, existing));
        watchLatency(watchEvents);
        watchUnderLoad(parallelCreates / 2, clients);
    }

    private void creates(String label, String prefix, int n, int clients, boolean report) throws Exception {
        Latencies latencies = new Latencies(n);
        AtomicInteger failures = new AtomicInteger();
        Phase phase = start();
        parallel(clients, n, (c, i) -> {
            long t = System.nanoTime();
            if (c.send("POST", configMaps, configMap(prefix + i, "bench")).status() != 201) {
                failures.incrementAndGet();
            }
            latencies.add(System.nanoTime() - t);
        });
        if (report) {
            phase.report(label, n, latencies, "failures " + failures.get());
        }
    }

    private void gets(int n, int clients) throws Exception {
        Latencies latencies = new Latencies(n);
        Phase phase = start();
        parallel(clients, n, (c, i) -> {
            long t = System.nanoTime();
            if (c.send("GET", configMaps + "/many-" + i, null).status() != 200) {
                throw new IllegalStateException("get many-" + i + " failed");
            }
            latencies.add(System.nanoTime() - t);
        });
        phase.report("get, " + clients + " clients", n, latencies, "");
    }

    private void list(int expected) throws Exception {
        int runs = 5;
        Latencies latencies = new Latencies(runs);
        int items = 0;
        int bytes = 0;
        Phase phase = start();
        try (HttpConnection c = api.connect()) {
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                HttpConnection.Response r = c.send("GET", configMaps, null);
                latencies.add(System.nanoTime() - t);
                items = Json.MAPPER.readTree(r.body()).path("items").size();
                bytes = r.body().length;
            }
        }
        out.printf("%-22s %7d objects   p50 %7.1f ms   max %7.1f ms   %5.1f MiB each%s (expected %d)%n", "list (" + runs + " runs)",
                items, latencies.percentileMillis(50), latencies.percentileMillis(100), bytes / 1048576.0, phase.cpuPer(runs), expected);
    }

    /** One writer, one watcher: from the write's answer (and from its request) to the event at the watcher. */
    private void watchLatency(int n) throws Exception {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        try (HttpConnection watcher = api.connect(); HttpConnection writer = api.connect()) {
            Thread reader = watch(watcher, "watch=solo", arrivals, n);
            Object arrived = arrivals; // the watcher notifies on it
            Latencies fromAnswer = new Latencies(n);
            Latencies fromRequest = new Latencies(n);
            for (int i = 0; i < n; i++) {
                String name = "solo-" + i;
                long sent = System.nanoTime();
                writer.send("POST", configMaps, configMap(name, "solo"));
                long answered = System.nanoTime();
                synchronized (arrived) {
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (!arrivals.containsKey(name) && reader.isAlive() && System.currentTimeMillis() < deadline) {
                        arrived.wait(100);
                    }
                }
                Long at = arrivals.get(name);
                if (at == null) {
                    throw new IllegalStateException("no watch event for " + name);
                }
                fromAnswer.add(Math.max(0, at - answered));
                fromRequest.add(at - sent);
            }
            reader.join();
            out.printf("%-22s %7d events    p50 %6.2f ms   p99 %6.2f ms   (write answered -> event at watcher; "
                            + "from request sent: p50 %.2f ms, p99 %.2f ms)%n", "watch, 1 writer", n,
                    fromAnswer.percentileMillis(50), fromAnswer.percentileMillis(99),
                    fromRequest.percentileMillis(50), fromRequest.percentileMillis(99));
        }
    }

    /** Many writers, one watcher: every event arrives, and how long after its request was sent. */
    private void watchUnderLoad(int n, int clients) throws Exception {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        Map<String, Long> sent = new ConcurrentHashMap<>();
        try (HttpConnection watcher = api.connect()) {
            Thread reader = watch(watcher, "watch=load", arrivals, n);
            long start = System.nanoTime();
            parallel(clients, n, (c, i) -> {
                String name = "load-" + i;
                sent.put(name, System.nanoTime());
                c.send("POST", configMaps, configMap(name, "load"));
            });
            reader.join(60_000);
            double seconds = (System.nanoTime() - start) / 1e9;
            Latencies latencies = new Latencies(n);
            arrivals.forEach((name, at) -> latencies.add(at - sent.get(name)));
            out.printf("%-22s %7d events    p50 %6.2f ms   p99 %6.2f ms   (request sent -> event at watcher; %d of %d delivered, %.0f events/s)%n",
                    "watch, " + clients + " writers", n, latencies.percentileMillis(50), latencies.percentileMillis(99),
                    arrivals.size(), n, arrivals.size() / seconds);
        }
    }

    /** Reads ADDED events of objects labelled by selector until n arrived, stamping each name's arrival. */
    private Thread watch(HttpConnection c, String selector, Map<String, Long> arrivals, int n) throws Exception {
        String rv;
        try (HttpConnection lister = api.connect()) {
            JsonNode page = Json.MAPPER.readTree(lister.send("GET", configMaps + "?limit=1", null).body());
            rv = page.path("metadata").path("resourceVersion").asText();
        }
        BufferedReader events = new BufferedReader(new InputStreamReader(
                c.stream(configMaps + "?watch=1&labelSelector=" + selector.replace("=", "%3D") + "&resourceVersion=" + rv),
                StandardCharsets.UTF_8));
        return Thread.ofPlatform().name("bench-watcher").start(() -> {
            try {
                while (arrivals.size() < n) {
                    String line = events.readLine();
                    long at = System.nanoTime();
                    if (line == null) {
                        break;
                    }
                    JsonNode event = Json.MAPPER.readTree(line);
                    if (event.path("type").asText().equals("ADDED")) {
                        arrivals.put(event.path("object").path("metadata").path("name").asText(), at);
                        synchronized (arrivals) {
                            arrivals.notifyAll();
                        }
                    }
                }
            } catch (Exception e) {
                // the watch ended early: the waiting side reports what did not arrive
            }
        });
    }

    private static String configMap(String name, String label) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"bench\":\"yes\",\"watch\":\""
                + label + "\"}},\"data\":{\"payload\":\"" + PAYLOAD + "\"}}";
    }

    private Phase start() {
        return new Phase(System.nanoTime(), serverCpuMillis.getAsLong());
    }

    /** The start of a measured phase: wall clock and the server's CPU time. */
    private final class Phase {
        private final long startNanos;
        private final long startCpu;

        Phase(long startNanos, long startCpu) {
            this.startNanos = startNanos;
            this.startCpu = startCpu;
        }

        void report(String label, int n, Latencies latencies, String extra) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            out.printf("%-22s %7d objects %8.0f /s   p50 %6.2f ms   p99 %6.2f ms%s   %s%n", label, n, n / seconds,
                    latencies.percentileMillis(50), latencies.percentileMillis(99), cpuPer(n), extra);
        }

        String cpuPer(int n) {
            long now = serverCpuMillis.getAsLong();
            return startCpu < 0 || now < 0 || n == 0 ? "" : String.format("   server CPU %.2f ms/op", (now - startCpu) / (double) n);
        }
    }

    /** One request of a parallel phase, on the calling client's own connection. */
    interface Request {
        void send(HttpConnection connection, int index) throws Exception;
    }

    /** n requests shared out among clients, each client a virtual thread with its own connection. */
    private void parallel(int clients, int n, Request request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    try (HttpConnection connection = api.connect()) {
                        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                            request.send(connection, i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }
}
