package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import io.capstan.runtime.image.BusyboxImage;
import io.capstan.runtime.image.LocalImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `capstan bench-pods`: pod start latency on real containers. Starts a server with its node agent (own bridge, pod
 * subnet and cgroup root), imports a busybox image it builds with umoci, then creates pods one at a time and times
 * each from the create request to the watch event that shows it Running; between pods it times a raw
 * {@code runc run -d} of the same image, so both are measured under the same load. Reports the server's RSS.
 */
@Command(name = "bench-pods", mixinStandardHelpOptions = true,
        description = "Measure pod start latency (create -> Running, image present) on this machine's runc, beside raw "
                + "`runc run`, and the server's memory (starts its own server with its agent; needs root, runc, conmon, "
                + "umoci, busybox-static and the CNI plugins).")
public final class PodBenchCommand implements Callable<Integer> {

    private static final String NAMESPACE = "default";

    @Option(names = "--pods", defaultValue = "50", description = "Pods created, one at a time, and raw runc runs (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--server-command", split = " ",
            description = "How to start a server (default: this java and jar); `server --data-dir ... --https-port ...` is appended.")
    List<String> serverCommand;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "Longest wait for one pod or for the node (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--warm-up", defaultValue = "1",
            description = "Pods started first and left out of the figures: the first pod after start-up pays for class loading and JIT (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--each", description = "Also print every pod's and every runc run's times, in order.")
    boolean each;

    @Option(names = "--keep", description = "Keep the work directory (server log, bundles) instead of deleting it.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        System.out.println(Environment.describe());
        String unique = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        String bridge = "cpbench" + unique;
        String cgroupRoot = "capstan-bench-" + unique;
        String runcCgroupRoot = "capstan-bench-runc-" + unique;
        Path work = Files.createTempDirectory("capstan-bench-pods");
        Path data = work.resolve("data");
        LocalServer server = null;
        try {
            Path layout = BusyboxImage.build(work.resolve("layout"), work);
            // Where the server's agent keeps its images (as `capstan image import --data-dir` puts them): no pull at pod start.
            new LocalImageStore(new LocalImageStore.Options(data.resolve("agent").resolve("images"), List.of(), List.of())).importArchive(layout);
            server = LocalServer.start(serverCommand == null || serverCommand.isEmpty() ? LocalServer.thisJar() : serverCommand, data,
                    "--node-name", "bench-" + unique, "--agent-port", Integer.toString(LocalServer.freePort()), "--cni-bridge", bridge,
                    "--pod-cidr", freeSubnet(), "--cgroup-root", cgroupRoot);
            server.awaitReady(timeout);
            ApiClient api = ApiClient.create(ClientConfig.fromKubeconfig(server.kubeconfig()), "capstan-bench");
            awaitNodeReady(api, server);
            try (RawRunc runc = RawRunc.prepare(layout, work.resolve("raw"), runcCgroupRoot)) {
                try {
                    measure(api, server, runc);
                } finally {
                    deletePods(api);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            NodeLeftovers.clean(data, bridge, cgroupRoot);
            if (keep) {
                System.out.println("kept " + work);
            } else {
                deleteTree(work);
            }
        }
        System.out.println(Environment.load() + " at the end, " + Instant.now());
        return 0;
    }

    private void measure(ApiClient api, LocalServer server, RawRunc runc) throws Exception {
        Latencies toRunning = new Latencies(pods);
        Latencies toBound = new Latencies(pods);
        Latencies boundToRunning = new Latencies(pods);
        Latencies raw = new Latencies(pods);
        String rv = api.list(Kinds.PODS, NAMESPACE, Map.of("limit", "1")).resourceVersion();
        try (PodTimes times = new PodTimes(api, NAMESPACE, rv)) {
            for (int w = 0; w < warmUp; w++) {
                String name = "bench-warm-up-" + w;
                long start = System.nanoTime();
                api.create(Kinds.PODS, NAMESPACE, pod(name));
                long running = times.running(name).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                System.out.printf("warm-up pod %d: create -> Running %.1f ms (not counted)%n", w, (running - start) / 1e6);
            }
            for (int i = 0; i < pods; i++) {
                String name = "bench-" + i;
                long start = System.nanoTime();
                api.create(Kinds.PODS, NAMESPACE, pod(name));
                long running = times.running(name).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                long bound = times.bound(name).getNow(running);
                toRunning.add(running - start);
                toBound.add(bound - start);
                boundToRunning.add(running - bound);
                long rawNanos = runc.runNext();
                raw.add(rawNanos);
                if (each) {
                    System.out.printf("pod %2d: create -> bound %7.1f ms, bound -> Running %7.1f ms; runc run %6.1f ms%n", i,
                            (bound - start) / 1e6, (running - bound) / 1e6, rawNanos / 1e6);
                }
                server.requireAlive();
            }
        }
        System.out.printf("%d pods, created one at a time, each waited for before the next (image present, imagePullPolicy Never)%n", pods);
        System.out.println("(times seen by this client: the create request's start, then the watch events showing the pod bound and Running)");
        print("create -> Running", toRunning);
        print("  create -> bound", toBound);
        print("  bound -> Running", boundToRunning);
        print("raw runc run -d", raw);
        System.out.printf("p50 ratio pod/runc: %.1fx%n", toRunning.percentileMillis(50) / raw.percentileMillis(50));
        System.out.printf("server RSS with %d pods running: %d MiB now, %d MiB peak (VmHWM)%n", pods, server.residentKib() / 1024,
                server.peakResidentKib() / 1024);
    }

    private static void print(String what, Latencies l) {
        System.out.printf("%-20s p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", what, l.percentileMillis(50),
                l.percentileMillis(90), l.percentileMillis(99), l.percentileMillis(100));
    }

    private static ObjectNode pod(String name) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).putObject("labels").put("app", "bench-pods");
        // sleep as PID 1 ignores SIGTERM: a short grace period keeps the deletion at the end quick.
        ObjectNode spec = pod.putObject("spec").put("terminationGracePeriodSeconds", 1);
        spec.putArray("containers").addObject().put("name", "sleep").put("image", BusyboxImage.REFERENCE)
                .put("imagePullPolicy", "Never").putArray("command").add("sleep").add("3600");
        return pod;
    }

    private void awaitNodeReady(ApiClient api, LocalServer server) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            server.requireAlive();
            for (ObjectNode node : api.listAll(Kinds.NODES, "", Map.of()).items()) {
                for (JsonNode c : node.path("status").path("conditions")) {
                    if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the node did not become Ready within " + timeout);
    }

    /** Deletes the pods and waits until the agent has stopped them and removed their sandboxes, mounts and network. */
    private void deletePods(ApiClient api) throws InterruptedException {
        try {
            deleteAndWait(api);
        } catch (RuntimeException e) {
            System.out.println("could not delete the pods (" + e.getMessage() + "); cleaning up behind the agent");
        }
    }

    private void deleteAndWait(ApiClient api) throws InterruptedException {
        for (ObjectNode pod : api.list(Kinds.PODS, NAMESPACE, Map.of("labelSelector", "app=bench-pods")).items()) {
            api.delete(Kinds.PODS, NAMESPACE, Json.text(pod, "metadata", "name"), null, null);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!api.list(Kinds.PODS, NAMESPACE, Map.of("labelSelector", "app=bench-pods")).items().isEmpty()) {
            if (System.nanoTime() > deadline) {
                System.out.println("pods still there after " + timeout + "; cleaning up behind the agent");
                return;
            }
            Thread.sleep(200);
        }
    }

    /** A /24 in 10.199.0.0/16 that no route on this machine covers yet. */
    private static String freeSubnet() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-4", "route").redirectErrorStream(true).start();
        String routes = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        for (int attempt = 0; attempt < 100; attempt++) {
            String prefix = "10.199." + ThreadLocalRandom.current().nextInt(256) + ".";
            if (!routes.contains(prefix)) {
                return prefix + "0/24";
            }
        }
        throw new IllegalStateException("no free /24 in 10.199.0.0/16");
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
