package io.capstan.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.client.ApiClient;
import io.capstan.client.ClientConfig;
import io.capstan.network.proxy.ServiceProxy;
import io.capstan.runtime.image.BusyboxImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `capstan bench-services`: what the node's service proxy costs. Starts a server with its agent (own bridge, pod
 * subnet, cgroup root and iptables chain tag), runs three busybox httpd pods, creates a NodePort Service over them
 * (explicit cluster IP, hand-made EndpointSlice) and times from the create request to the first answer through the
 * cluster IP; then makes short HTTP connections from the host, one at a time (latency) and several at once (rate),
 * through the cluster IP, through the node port, and straight to the pod IPs.
 */
@Command(name = "bench-services", mixinStandardHelpOptions = true,
        description = "Measure service connection rate and latency through the iptables proxy vs. direct to the pod IPs, and the "
                + "time from a Service's creation to its first connection (starts its own server with its agent; needs root, "
                + "iptables, runc, conmon, umoci, busybox-static and the CNI plugins).")
public final class ServiceBenchCommand implements Callable<Integer> {

    private static final String NAMESPACE = "default";
    private static final ResourceType ENDPOINT_SLICES = ResourceRegistry.withBuiltins().all().stream()
            .filter(t -> t.group().equals("discovery.k8s.io") && t.plural().equals("endpointslices")).findFirst().orElseThrow();

    @Option(names = "--connections", defaultValue = "2000", description = "Connections per path and mode (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--concurrency", defaultValue = "8", description = "Connections at once for the rate (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "Longest wait for the node, the pods or the Service (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--server-command", split = " ",
            description = "How to start a server (default: this java and jar); `server --data-dir ... --https-port ...` is appended.")
    List<String> serverCommand;

    @Override
    public Integer call() throws Exception {
        System.out.println(Environment.describe());
        String unique = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        String bridge = "cpbench" + unique;
        String cgroupRoot = "capstan-bench-" + unique;
        String tag = "b" + unique;
        Path work = Files.createTempDirectory("capstan-bench-services");
        Path data = work.resolve("data");
        LocalServer server = null;
        try {
            Path layout = BusyboxImage.build(work.resolve("layout"), work);
            String podCidr = PodBenchCommand.freeSubnet();
            // The cluster IP comes from a /24 beside the pod subnet, so it meets no other server's on this machine.
            String serviceNet = podCidr.substring(0, podCidr.lastIndexOf('.', podCidr.lastIndexOf('.') - 1) + 1)
                    + ((Integer.parseInt(podCidr.split("\\.")[2]) + 128) % 256) + ".";
            server = PodBenchCommand.startWithAgent(serverCommand, layout, data, unique, podCidr, "--proxy-chain-tag", tag);
            server.awaitReady(timeout);
            ApiClient api = ApiClient.create(ClientConfig.fromKubeconfig(server.kubeconfig()), "capstan-bench");
            PodBenchCommand.awaitNodeReady(api, server, timeout);
            try {
                measure(api, server, serviceNet + "10", tag);
            } finally {
                for (int i = 0; i < 3; i++) {
                    api.find(Kinds.PODS, NAMESPACE, "bench-web-" + i).ifPresent(p -> api.delete(Kinds.PODS, NAMESPACE,
                            Json.text(p, "metadata", "name"), null, null));
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!api.list(Kinds.PODS, NAMESPACE, Map.of("labelSelector", "app=bench-web")).items().isEmpty()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            NodeLeftovers.clean(data, bridge, cgroupRoot);
            ServiceProxy.removeLeftovers(tag);
            PodBenchCommand.deleteTree(work);
        }
        System.out.println(Environment.load() + " at the end, " + Instant.now());
        return 0;
    }

    private void measure(ApiClient api, LocalServer server, String clusterIp, String tag) throws Exception {
        List<String> podIps = startPods(api, server);
        String nodeIp = "";
        for (var address : api.listAll(Kinds.NODES, "", Map.of()).items().getFirst().path("status").path("addresses")) {
            if (address.path("type").asText().equals("InternalIP")) {
                nodeIp = address.path("address").asText();
            }
        }
        int nodePort = ThreadLocalRandom.current().nextInt(30000, 32768);

        long start = System.nanoTime();
        api.create(Kinds.SERVICES, NAMESPACE, service(clusterIp, nodePort));
        api.create(ENDPOINT_SLICES, NAMESPACE, slice(podIps));
        // Until the proxy's rule is in, a connection to the cluster IP would follow the default route off this machine.
        long programmed = awaitRule(tag, clusterIp, start);
        long connected = 0;
        while (connected == 0 && System.nanoTime() - start < timeout.toNanos()) {
            try {
                fetch(clusterIp, 80);
                connected = System.nanoTime();
            } catch (IOException e) {
                Thread.sleep(5);
            }
        }
        System.out.printf("Service created -> its rules in iptables: %.0f ms; -> first answer through the cluster IP: %.0f ms%n",
                (programmed - start) / 1e6, (connected - start) / 1e6);

        System.out.printf("%d short HTTP connections per line from the host (connect, GET, read to close) to 3 busybox httpd pods%n", connections);
        for (int round = 0; round < 2; round++) {
            // The first round warms the JIT and the caches; only the second is printed.
            boolean print = round == 1;
            path(print, "direct to the pod IPs", podIps, 8080);
            path(print, "cluster IP (iptables)", List.of(clusterIp), 80);
            path(print, "node port (iptables)", List.of(nodeIp), nodePort);
        }
        System.out.printf("server RSS: %d MiB%n", server.residentKib() / 1024);
    }

    private void path(boolean print, String what, List<String> ips, int port) throws Exception {
        Latencies latencies = new Latencies(connections);
        for (int i = 0; i < connections; i++) {
            long t = System.nanoTime();
            fetch(ips.get(i % ips.size()), port);
            latencies.add(System.nanoTime() - t);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long t = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < connections) {
                    try {
                        fetch(ips.get(i % ips.size()), port);
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        if (print) {
            System.out.printf("%-24s one at a time: p50 %5.2f ms  p90 %5.2f ms  p99 %5.2f ms;  %d at once: %6.0f conn/s%s%n", what,
                    latencies.percentileMillis(50), latencies.percentileMillis(90), latencies.percentileMillis(99), concurrency,
                    connections / seconds, failed.get() == 0 ? "" : " (" + failed.get() + " failed)");
        }
    }

    /** One HTTP/1.0 GET on a new connection, read to the end. */
    private static void fetch(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[4096];
            int total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
            if (total == 0) {
                throw new IOException("empty answer from " + ip + ":" + port);
            }
        }
    }

    private long awaitRule(String tag, String clusterIp, long start) throws Exception {
        while (System.nanoTime() - start < timeout.toNanos()) {
            Process p = new ProcessBuilder("iptables", "-w", "5", "-t", "nat", "-S", "CAPSTAN-SERVICES-" + tag).redirectErrorStream(true).start();
            String rules = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            if (rules.contains(clusterIp + "/32")) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no proxy rule for " + clusterIp + " within " + timeout);
    }

    private List<String> startPods(ApiClient api, LocalServer server) throws Exception {
        for (int i = 0; i < 3; i++) {
            ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
            pod.putObject("metadata").put("name", "bench-web-" + i).putObject("labels").put("app", "bench-web");
            ObjectNode spec = pod.putObject("spec").put("terminationGracePeriodSeconds", 1);
            spec.putArray("containers").addObject().put("name", "httpd").put("image", BusyboxImage.REFERENCE)
                    .put("imagePullPolicy", "Never").putArray("command").add("sh").add("-c")
                    .add("mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www");
            api.create(Kinds.PODS, NAMESPACE, pod);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            server.requireAlive();
            List<String> ips = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ObjectNode pod = api.get(Kinds.PODS, NAMESPACE, "bench-web-" + i);
                if ("Running".equals(Json.text(pod, "status", "phase")) && !Json.text(pod, "status", "podIP").isEmpty()) {
                    ips.add(Json.text(pod, "status", "podIP"));
                }
            }
            if (ips.size() == 3) {
                for (String ip : ips) {
                    awaitAnswer(ip, deadline);
                }
                return ips;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the httpd pods did not start within " + timeout);
    }

    private static void awaitAnswer(String ip, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            try {
                fetch(ip, 8080);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
    }

    private static ObjectNode service(String clusterIp, int nodePort) {
        ObjectNode svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", "bench-web");
        ObjectNode spec = svc.putObject("spec").put("type", "NodePort").put("clusterIP", clusterIp);
        spec.putArray("ports").addObject().put("name", "http").put("port", 80).put("targetPort", 8080).put("nodePort", nodePort);
        return svc;
    }

    private static ObjectNode slice(List<String> podIps) {
        ObjectNode slice = Json.object().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", "IPv4");
        slice.putObject("metadata").put("name", "bench-web-manual").putObject("labels").put("kubernetes.io/service-name", "bench-web");
        slice.putArray("ports").addObject().put("name", "http").put("port", 8080).put("protocol", "TCP");
        ArrayNode endpoints = slice.putArray("endpoints");
        for (String ip : podIps) {
            ObjectNode e = endpoints.addObject();
            e.putArray("addresses").add(ip);
            e.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        }
        return slice;
    }
}
