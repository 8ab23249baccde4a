package io.capstan.apiserver.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldSelector;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.http.Responses;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.Lister;
import io.capstan.apiserver.streams.KubeletClient;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * metrics.k8s.io/v1beta1, served as metrics-server serves it (kubectl top reads it): NodeMetrics and PodMetrics,
 * get and list with label selectors, read at request time from the agents' stats summaries. Nodes and pods without
 * usage (simulated nodes, containers just started) are left out of lists and are NotFound by name.
 */
public final class ResourceMetrics {

    /** The resources the API serves in the group; registered with the built-in kinds. */
    public static final List<ResourceType> TYPES = List.of(
            new ResourceType(ResourceType.METRICS_GROUP, "v1beta1", "NodeMetrics", "nodes", "", false, List.of(), List.of(), Set.of(),
                    NodeMetrics.class),
            new ResourceType(ResourceType.METRICS_GROUP, "v1beta1", "PodMetrics", "pods", "", true, List.of(), List.of(), Set.of(),
                    PodMetrics.class));
    /**
     * The window reported with every reading: agents measure CPU rates between readings taken every ten seconds
     * (and on request, at least a second apart), as the kubelet's cAdvisor does.
     */
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final String API_VERSION = ResourceType.METRICS_GROUP + "/v1beta1";

    private final GenericRegistry registry;
    private final Lister lister;
    private final NodeSummaries summaries;
    private final Clock clock;

    public ResourceMetrics(GenericRegistry registry, KubeletClient kubelets, Clock clock) {
        this.registry = registry;
        this.lister = new Lister(registry.store());
        this.summaries = new NodeSummaries(kubelets);
        this.clock = clock;
    }

    public void handle(Exchange exchange, RequestInfo info) throws IOException, InterruptedException {
        if (!info.subresource().isEmpty()) {
            throw StatusException.pathNotFound();
        }
        boolean nodes = info.resource().equals("nodes");
        ObjectNode answer = switch (info.verb()) {
            case "get" -> nodes ? node(info.name()) : pod(info.namespace(), info.name());
            case "list" -> nodes ? nodes(exchange) : pods(exchange, info.namespace());
            default -> throw StatusException.methodNotAllowed();
        };
        Responses.json(exchange, 200, answer);
    }

    private ObjectNode node(String name) throws InterruptedException {
        ObjectNode node = registry.find(Kinds.NODES, "", name).orElseThrow(() -> notFound("nodes", name));
        List<NodeSummaries.NodeUsage> usage = summaries.scrape(List.of(node));
        if (usage.isEmpty() || usage.getFirst().usage() == null) {
            throw notFound("nodes", name);
        }
        return nodeMetrics(node, usage.getFirst().usage());
    }

    private ObjectNode nodes(Exchange exchange) throws InterruptedException {
        List<ObjectNode> nodes = lister.list(Kinds.NODES, "", options(exchange, Kinds.NODES)).items();
        Map<String, ObjectNode> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(Json.text(n, "metadata", "name"), n));
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (NodeSummaries.NodeUsage usage : summaries.scrape(nodes)) {
            if (usage.usage() != null) {
                items.add(nodeMetrics(byName.get(usage.name()), usage.usage()));
            }
        }
        return list("NodeMetricsList", items);
    }

    private ObjectNode pod(String namespace, String name) throws InterruptedException {
        ObjectNode pod = registry.find(Kinds.PODS, namespace, name).orElseThrow(() -> notFound("pods", name));
        List<ObjectNode> items = podMetrics(List.of(pod));
        if (items.isEmpty()) {
            throw notFound("pods", name);
        }
        return items.getFirst();
    }

    private ObjectNode pods(Exchange exchange, String namespace) throws InterruptedException {
        ArrayNode items = Json.MAPPER.createArrayNode();
        podMetrics(lister.list(Kinds.PODS, namespace, options(exchange, Kinds.PODS)).items()).forEach(items::add);
        return list("PodMetricsList", items);
    }

    /** The metrics of those pods whose node reported them, in the order given. */
    private List<ObjectNode> podMetrics(List<ObjectNode> pods) throws InterruptedException {
        Set<String> nodeNames = new java.util.HashSet<>();
        pods.forEach(p -> nodeNames.add(p.path("spec").path("nodeName").asText("")));
        List<ObjectNode> nodes = new ArrayList<>();
        for (String nodeName : nodeNames) {
            if (!nodeName.isEmpty()) {
                registry.find(Kinds.NODES, "", nodeName).ifPresent(nodes::add);
            }
        }
        Map<String, NodeSummaries.PodUsage> byUid = new LinkedHashMap<>();
        for (NodeSummaries.NodeUsage node : summaries.scrape(nodes)) {
            node.pods().forEach(p -> byUid.put(p.uid(), p));
        }
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode pod : pods) {
            NodeSummaries.PodUsage usage = byUid.get(Json.text(pod, "metadata", "uid"));
            if (usage != null) {
                items.add(podMetrics(pod, usage));
            }
        }
        return items;
    }

    private ObjectNode nodeMetrics(JsonNode node, NodeSummaries.Usage usage) {
        ObjectNode item = item("NodeMetrics", node);
        reading(item, usage.timestamp());
        usage(item.putObject("usage"), usage);
        return item;
    }

    private ObjectNode podMetrics(JsonNode pod, NodeSummaries.PodUsage usage) {
        ObjectNode item = item("PodMetrics", pod);
        reading(item, usage.timestamp());
        ArrayNode containers = item.putArray("containers");
        for (NodeSummaries.ContainerUsage c : usage.containers()) {
            usage(containers.addObject().put("name", c.name()).putObject("usage"), c.usage());
        }
        return item;
    }

    /** metrics-server's metadata: the object's name, namespace and labels, created now. */
    private ObjectNode item(String kind, JsonNode object) {
        ObjectNode item = Json.object().put("kind", kind).put("apiVersion", API_VERSION);
        ObjectNode meta = item.putObject("metadata").put("name", Json.text(object, "metadata", "name"));
        String namespace = Json.text(object, "metadata", "namespace");
        if (namespace != null && !namespace.isEmpty()) {
            meta.put("namespace", namespace);
        }
        meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        if (object.path("metadata").has("labels")) {
            meta.set("labels", object.path("metadata").path("labels").deepCopy());
        }
        return item;
    }

    private static void reading(ObjectNode item, Instant timestamp) {
        item.put("timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString()).put("window", WINDOW.toSeconds() + "s");
    }

    private static void usage(ObjectNode usage, NodeSummaries.Usage u) {
        usage.put("cpu", UsageQuantities.cpu(u.nanoCores())).put("memory", UsageQuantities.memory(u.memoryBytes()));
    }

    private static ObjectNode list(String kind, ArrayNode items) {
        ObjectNode list = Json.object().put("kind", kind).put("apiVersion", API_VERSION);
        list.putObject("metadata");
        list.set("items", items);
        return list;
    }

    private static ListOptions options(Exchange exchange, ResourceType type) {
        return new ListOptions(LabelSelector.parse(exchange.query("labelSelector")), FieldSelector.parse(exchange.query("fieldSelector"), type),
                null, null, 0, null);
    }

    /** metrics-server's NotFound names the group's resource: nodes.metrics.k8s.io "x" not found. */
    private static StatusException notFound(String plural, String name) {
        return StatusException.notFound(ResourceType.METRICS_GROUP, plural, name);
    }
}
