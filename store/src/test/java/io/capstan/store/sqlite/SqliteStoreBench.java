package io.capstan.store.sqlite;

import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prints the SQLite store's own figures (no HTTP, no JSON): creates per second from 1 and 32 threads with their
 * latency, gets, ranging 10,000 keys, and watch latency (a create's return to its event at a watcher).
 * Run: {@code java -cp cli/target/capstan.jar:store/target/test-classes io.capstan.store.sqlite.SqliteStoreBench}.
 */
public final class SqliteStoreBench {

    private static final byte[] VALUE = new byte[1024]; // about one Kubernetes object

    private SqliteStoreBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("capstan-bench");
        try (Store store = SqliteStore.open(dir.resolve("bench.db"))) {
            creates(store, "/warmup/", 8, 1_000);
            report("1 thread", creates(store, "/one/", 1, 10_000));
            report("32 threads", creates(store, "/many/", 32, 1_000));
            creates(store, "/range/", 32, 10_000 / 32 + 1);
            ranges(store, "/range/");
            gets(store, "/one/0/", 10_000);
            watches(store, 2_000);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each thread creates perThread keys; returns every create's latency in nanoseconds and the wall time last. */
    private static long[] creates(Store store, String prefix, int threads, int perThread) throws Exception {
        long start = System.nanoTime();
        List<long[]> latencies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<long[]>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String mine = prefix + t + "/";
                done.add(pool.submit(() -> {
                    long[] nanos = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        long begin = System.nanoTime();
                        store.create(mine + i, VALUE);
                        nanos[i] = System.nanoTime() - begin;
                    }
                    return nanos;
                }));
            }
            for (Future<long[]> f : done) {
                latencies.add(f.get());
            }
        }
        long wall = System.nanoTime() - start;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        long[] withWall = Arrays.copyOf(all, all.length + 1);
        withWall[all.length] = wall;
        return withWall;
    }

    private static void report(String label, long[] latenciesAndWall) {
        long wall = latenciesAndWall[latenciesAndWall.length - 1];
        long[] latencies = Arrays.copyOf(latenciesAndWall, latenciesAndWall.length - 1);
        Arrays.sort(latencies);
        System.out.printf("create, %-10s: %,8.0f creates/s   p50 %6.2f ms   p99 %6.2f ms   (%,d creates)%n", label,
                latencies.length / (wall / 1e9), percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.length);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static void gets(Store store, String prefix, int n) {
        long[] nanos = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long begin = System.nanoTime();
            store.get(prefix + i).orElseThrow();
            nanos[i] = System.nanoTime() - begin;
        }
        long wall = System.nanoTime() - start;
        Arrays.sort(nanos);
        System.out.printf("get, 1 thread     : %,8.0f gets/s      p50 %6.3f ms   p99 %6.3f ms%n", n / (wall / 1e9),
                percentile(nanos, 0.50), percentile(nanos, 0.99));
    }

    /** One writer creates keys one by one; a watcher on another thread stamps each event's arrival. */
    private static void watches(Store store, int n) throws Exception {
        long[] returned = new long[n];
        long[] arrived = new long[n];
        try (io.capstan.store.Watch watch = store.watch("/watch/", store.currentRevision())) {
            Thread watcher = Thread.ofPlatform().start(() -> {
                try {
                    for (int seen = 0; seen < n; ) {
                        io.capstan.store.WatchEvent e = watch.next(java.time.Duration.ofSeconds(10));
                        if (e == null) {
                            return;
                        }
                        arrived[Integer.parseInt(e.kv().key().substring("/watch/".length()))] = System.nanoTime();
                        seen++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < n; i++) {
                store.create("/watch/" + i, VALUE);
                returned[i] = System.nanoTime();
                Thread.sleep(0, 200_000); // paced, so each event is measured on its own rather than in a queue
            }
            watcher.join();
        }
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            latency[i] = Math.max(0, arrived[i] - returned[i]);
        }
        Arrays.sort(latency);
        System.out.printf("watch, 1 watcher  : create returned -> event at watcher   p50 %6.3f ms   p99 %6.3f ms   (%,d events)%n",
                percentile(latency, 0.50), percentile(latency, 0.99), n);
    }

    private static void ranges(Store store, String prefix) {
        for (int run = 1; run <= 5; run++) {
            long start = System.nanoTime();
            RangeResult all = store.range(prefix, null, 0, 0);
            System.out.printf("range, all at once, run %d: %,d keys of 1 KiB in %6.1f ms%n", run, all.items().size(),
                    (System.nanoTime() - start) / 1e6);
        }
        long start = System.nanoTime();
        int keys = 0;
        String after = null;
        for (RangeResult page = null; page == null || page.more(); after = page.items().getLast().key()) {
            page = store.range(prefix, after, 500, page == null ? 0 : page.revision());
            keys += page.items().size();
        }
        System.out.printf("range, pages of 500:       %,d keys of 1 KiB in %6.1f ms%n", keys, (System.nanoTime() - start) / 1e6);
    }
}
