package io.capstan.apiserver.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.streams.KubeletClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks nodes' agents for their stats summary, all at once, and keeps what metrics-server keeps of it: each
 * node's and each pod's containers' CPU rate and memory working set. A node that cannot be asked (simulated, not
 * Ready) or does not answer in time is left out, as metrics-server leaves out nodes it cannot scrape; so is a
 * pod one of whose containers has no CPU rate yet.
 */
final class NodeSummaries {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSummaries.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** CPU in nanocores and memory working set in bytes, read at {@code timestamp}. */
    record Usage(Instant timestamp, long nanoCores, long memoryBytes) {}

    record ContainerUsage(String name, Usage usage) {}

    record PodUsage(String namespace, String name, String uid, Instant timestamp, List<ContainerUsage> containers) {}

    /** A node's usage (null when its summary had none) and its pods'. */
    record NodeUsage(String name, Usage usage, List<PodUsage> pods) {}

    private final KubeletClient kubelets;

    NodeSummaries(KubeletClient kubelets) {
        this.kubelets = kubelets;
    }

    /** The usage of every node that answered, in the order given. */
    List<NodeUsage> scrape(List<? extends JsonNode> nodes) throws InterruptedException {
        List<Future<Optional<NodeUsage>>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (JsonNode node : nodes) {
                answers.add(pool.submit(() -> scrape(node)));
            }
        }
        List<NodeUsage> usages = new ArrayList<>();
        for (Future<Optional<NodeUsage>> answer : answers) {
            try {
                answer.get().ifPresent(usages::add);
            } catch (ExecutionException e) {
                LOG.debug("node summary failed: {}", e.getCause().toString());
            }
        }
        return usages;
    }

    private Optional<NodeUsage> scrape(JsonNode node) throws InterruptedException {
        String name = node.path("metadata").path("name").asText();
        if (!scrapable(node)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(name, kubelets.getJson(node, "/stats/summary", TIMEOUT)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not scrape node {}: {}", name, e.toString());
            return Optional.empty();
        }
    }

    /** Simulated nodes run no agent; a node that is not Ready would only make the request wait. */
    static boolean scrapable(JsonNode node) {
        if (node.path("status").path("nodeInfo").path("containerRuntimeVersion").asText().startsWith("simulated")) {
            return false;
        }
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** What metrics-server's summary decoder keeps of a kubelet's Summary. */
    static NodeUsage parse(String nodeName, JsonNode summary) {
        Usage node = usage(summary.path("node")).orElse(null);
        List<PodUsage> pods = new ArrayList<>();
        for (JsonNode pod : summary.path("pods")) {
            List<ContainerUsage> containers = new ArrayList<>();
            Instant latest = null;
            boolean complete = pod.path("containers").size() > 0;
            for (JsonNode c : pod.path("containers")) {
                Optional<Usage> usage = usage(c);
                if (usage.isEmpty()) {
                    complete = false;
                    break;
                }
                containers.add(new ContainerUsage(c.path("name").asText(), usage.get()));
                latest = latest == null || usage.get().timestamp().isAfter(latest) ? usage.get().timestamp() : latest;
            }
            if (complete) {
                JsonNode ref = pod.path("podRef");
                pods.add(new PodUsage(ref.path("namespace").asText(), ref.path("name").asText(), ref.path("uid").asText(), latest, containers));
            }
        }
        return new NodeUsage(nodeName, node, pods);
    }

    private static Optional<Usage> usage(JsonNode stats) {
        JsonNode cpu = stats.path("cpu");
        JsonNode memory = stats.path("memory");
        if (!cpu.has("usageNanoCores") || !memory.has("workingSetBytes") || !cpu.has("time")) {
            return Optional.empty();
        }
        return Optional.of(new Usage(Instant.parse(cpu.path("time").asText()), cpu.path("usageNanoCores").asLong(),
                memory.path("workingSetBytes").asLong()));
    }
}
