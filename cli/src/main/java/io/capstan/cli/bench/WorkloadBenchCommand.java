package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import io.capstan.client.WatchEvent;
import io.capstan.client.WatchStream;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `capstan bench-workloads`: starts a server with simulated nodes, creates Deployments, and
 * measures the time until every pod runs, the scheduler's binding rate and the server's peak RSS.
 */
@Command(name = "bench-workloads", mixinStandardHelpOptions = true,
        description = "Measure scheduling and rollout at scale on simulated nodes (starts its own server).")
public final class WorkloadBenchCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "1000", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--pods", defaultValue = "10000", description = "Pods in total (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--deployments", defaultValue = "100", description = "Deployments sharing the pods (default: ${DEFAULT-VALUE}).")
    int deployments;

    @Option(names = "--server-heap", defaultValue = "2g", description = "The server JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--timeout", defaultValue = "PT10M", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("capstan-bench-workloads");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String jar = new File(WorkloadBenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        Process server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap, "-jar", jar,
                "server", "--data-dir", data.toString(), "--https-port", Integer.toString(port), "--bind", "127.0.0.1",
                "--simulated-nodes", Integer.toString(nodes))
                .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile()).start();
        try {
            return measure(server, data);
        } finally {
            server.destroy();
            server.waitFor();
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private int measure(Process server, Path data) throws Exception {
        Path kubeconfig = data.resolve("kubeconfig.yaml");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(kubeconfig)) {
            check(server, deadline);
            Thread.sleep(100);
        }
        ApiClient api = ApiClient.create(ClientConfig.fromKubeconfig(kubeconfig), "capstan-bench");
        while (api.listAll(Kinds.NODES, "", Map.of()).items().size() < nodes) {
            check(server, deadline);
            Thread.sleep(500);
        }
        System.out.printf("%d simulated nodes registered; creating %d pods through %d Deployments%n", nodes, pods, deployments);
        String rv = api.list(Kinds.PODS, "", Map.of("limit", "1")).resourceVersion();
        Map<String, Long> bound = new ConcurrentHashMap<>();
        Set<String> running = ConcurrentHashMap.newKeySet();
        Thread watcher = Thread.ofVirtual().start(() -> follow(api, rv, bound, running));

        long start = System.nanoTime();
        int perDeployment = pods / deployments;
        try (var creators = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            for (int i = 0; i < deployments; i++) {
                int replicas = i < deployments - 1 ? perDeployment : pods - perDeployment * (deployments - 1);
                String name = "bench-" + i;
                creators.execute(() -> api.create(Kinds.DEPLOYMENTS, "default", deployment(name, replicas)));
            }
        }
        while (running.size() < pods) {
            check(server, deadline);
            Thread.sleep(50);
        }
        long allRunning = System.nanoTime() - start;
        watcher.interrupt();
        List<Long> bindTimes = new ArrayList<>(bound.values());
        bindTimes.sort(null);
        double bindSpan = (bindTimes.getLast() - bindTimes.getFirst()) / 1e9;
        long rssKb = LocalServer.statusKib(server.pid(), "VmHWM");
        System.out.printf("all %d pods Running %.1f s after the first Deployment was created%n", pods, allRunning / 1e9);
        System.out.printf("scheduler: %d pods bound in %.1f s (first to last binding) = %.0f pods/s%n", bindTimes.size(), bindSpan,
                bindTimes.size() / Math.max(bindSpan, 1e-3));
        System.out.printf("server peak RSS (VmHWM): %d MiB%n", rssKb / 1024);
        return 0;
    }

    private void follow(ApiClient api, String rv, Map<String, Long> bound, Set<String> running) {
        String from = rv;
        while (!Thread.currentThread().isInterrupted()) {
            try (WatchStream stream = api.watch(Kinds.PODS, "", from, Duration.ofMinutes(30))) {
                Optional<WatchEvent> e;
                while ((e = stream.next()).isPresent()) {
                    ObjectNode pod = e.get().object();
                    String uid = Json.text(pod, "metadata", "uid");
                    from = pod.path("metadata").path("resourceVersion").asText(from);
                    if (uid == null) {
                        continue;
                    }
                    if (!pod.path("spec").path("nodeName").asText("").isEmpty()) {
                        bound.putIfAbsent(uid, System.nanoTime());
                    }
                    if ("Running".equals(Json.text(pod, "status", "phase"))) {
                        running.add(uid);
                    }
                }
            } catch (Exception ex) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    private static ObjectNode deployment(String name, int replicas) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", name);
        ObjectNode spec = d.putObject("spec").put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "busybox")
                .putObject("resources").putObject("requests").put("cpu", "10m").put("memory", "16Mi");
        return d;
    }

    private static void check(Process server, long deadline) {
        if (!server.isAlive()) {
            throw new IllegalStateException("the server exited with " + server.exitValue());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out");
        }
    }
}
