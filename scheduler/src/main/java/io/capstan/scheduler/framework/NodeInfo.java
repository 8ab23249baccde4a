package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.Quantities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as the scheduler sees it: labels, taints, what it can hold and what its pods
 * (bound and assumed) already ask for. Mutable only through the ClusterState that owns it.
 */
public final class NodeInfo {

    private final String name;
    private final Map<String, String> labels;
    private final List<Taint> taints;
    private final boolean unschedulable;
    private final Map<String, Long> allocatable;
    private final Map<String, Long> requested = new HashMap<>();
    /** cpu and memory requested, counting pods that ask for nothing as asking for a little, for spreading scores. */
    private long nonZeroCpu;
    private long nonZeroMemory;
    private final Map<String, PodInfo> pods = new HashMap<>();
    private final Map<String, Integer> byController = new HashMap<>();
    /** Pods with inter-pod (anti-)affinity terms: the only ones a pod without terms has to look at. */
    private final Map<String, PodInfo> withAffinity = new HashMap<>();
    private int withRequiredAntiAffinity;

    NodeInfo(String name, Map<String, String> labels, List<Taint> taints, boolean unschedulable, Map<String, Long> allocatable) {
        this.name = name;
        this.labels = labels;
        this.taints = taints;
        this.unschedulable = unschedulable;
        this.allocatable = allocatable;
    }

    /** A node read from its JSON, with no pods yet. */
    public static NodeInfo of(JsonNode node) {
        Map<String, Long> allocatable = new HashMap<>();
        node.path("status").path("allocatable").properties().forEach(e -> {
            try {
                allocatable.put(e.getKey(), Quantities.milli(e.getValue().asText()));
            } catch (IllegalArgumentException ignored) {
                // an unreadable quantity offers nothing
            }
        });
        List<Taint> taints = new ArrayList<>();
        for (JsonNode t : node.path("spec").path("taints")) {
            taints.add(new Taint(t.path("key").asText(), t.path("value").asText(""), t.path("effect").asText()));
        }
        return new NodeInfo(node.path("metadata").path("name").asText(), Json.labels(node), taints,
                node.path("spec").path("unschedulable").asBoolean(false), allocatable);
    }

    /** A copy of this node without some of its pods, to try what evicting them would change. */
    public NodeInfo without(java.util.Collection<String> uids) {
        NodeInfo copy = new NodeInfo(name, labels, taints, unschedulable, allocatable);
        pods.values().stream().filter(p -> !uids.contains(p.uid())).forEach(copy::addPod);
        return copy;
    }

    /** A copy carrying this node's pods over to a newer reading of the node object. */
    NodeInfo withPodsOf(NodeInfo previous) {
        previous.pods.values().forEach(this::addPod);
        return this;
    }

    void addPod(PodInfo pod) {
        if (pods.put(pod.uid(), pod) == null) {
            pod.requests().forEach((k, v) -> requested.merge(k, v, Long::sum));
            nonZeroCpu += pod.nonZeroCpu();
            nonZeroMemory += pod.nonZeroMemory();
            byController.merge(pod.controllerUid(), 1, Integer::sum);
            if (!pod.affinity().isEmpty()) {
                withAffinity.put(pod.uid(), pod);
                withRequiredAntiAffinity += pod.hasRequiredAntiAffinity() ? 1 : 0;
            }
        }
    }

    void removePod(String uid) {
        PodInfo pod = pods.remove(uid);
        if (pod != null) {
            pod.requests().forEach((k, v) -> requested.merge(k, -v, Long::sum));
            nonZeroCpu -= pod.nonZeroCpu();
            nonZeroMemory -= pod.nonZeroMemory();
            byController.merge(pod.controllerUid(), -1, Integer::sum);
            if (withAffinity.remove(uid) != null) {
                withRequiredAntiAffinity -= pod.hasRequiredAntiAffinity() ? 1 : 0;
            }
        }
    }

    public String name() {
        return name;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public List<Taint> taints() {
        return taints;
    }

    public boolean unschedulable() {
        return unschedulable;
    }

    /** Allocatable milli-units of a resource; pods are counted in milli-pods like everything else. */
    public long allocatable(String resource) {
        return allocatable.getOrDefault(resource, 0L);
    }

    public boolean offers(String resource) {
        return allocatable.containsKey(resource);
    }

    public long requested(String resource) {
        return requested.getOrDefault(resource, 0L);
    }

    /** Requested cpu or memory for scoring: a pod without a request counts as 100m cpu and 200Mi memory, as in Kubernetes. */
    public long nonZeroRequested(String resource) {
        return switch (resource) {
            case "cpu" -> nonZeroCpu;
            case "memory" -> nonZeroMemory;
            default -> requested(resource);
        };
    }

    /** How many pods on this node the controller with this uid owns. */
    public int podsOf(String controllerUid) {
        return byController.getOrDefault(controllerUid, 0);
    }

    public int podCount() {
        return pods.size();
    }

    public java.util.Collection<PodInfo> pods() {
        return pods.values();
    }

    /** The pods here with pod affinity or anti-affinity terms. */
    public java.util.Collection<PodInfo> podsWithAffinity() {
        return withAffinity.values();
    }

    public boolean hasPodsWithRequiredAntiAffinity() {
        return withRequiredAntiAffinity > 0;
    }
}
