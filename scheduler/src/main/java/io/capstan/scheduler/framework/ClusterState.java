package io.capstan.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's picture of the cluster, kept current from watch events and from its own
 * assumptions (a pod it has just bound counts on its node before the watch says so). Callers
 * hold its lock while they read or change it.
 */
public final class ClusterState {

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, PodInfo> placed = new HashMap<>();
    private final List<NodeInfo> order = new ArrayList<>();
    private final Map<String, Map<String, String>> namespaceLabels = new java.util.concurrent.ConcurrentHashMap<>();

    public synchronized void upsertNode(NodeInfo node) {
        NodeInfo old = nodes.put(node.name(), node);
        if (old != null) {
            node.withPodsOf(old);
            order.set(order.indexOf(old), node);
        } else {
            order.add(node);
            // Pods seen before their node arrive with it.
            placed.values().stream().filter(p -> p.nodeName().equals(node.name())).forEach(node::addPod);
        }
    }

    public synchronized void removeNode(String name) {
        NodeInfo old = nodes.remove(name);
        if (old != null) {
            order.remove(old);
        }
    }

    /** Records a pod on its node (bound, or assumed by the scheduler); a pod on no node is removed. */
    public synchronized void placePod(PodInfo pod) {
        removePod(pod.uid());
        if (pod.nodeName().isEmpty()) {
            return;
        }
        placed.put(pod.uid(), pod);
        NodeInfo node = nodes.get(pod.nodeName());
        if (node != null) {
            node.addPod(pod);
        }
    }

    public synchronized void removePod(String uid) {
        PodInfo old = placed.remove(uid);
        if (old != null) {
            NodeInfo node = nodes.get(old.nodeName());
            if (node != null) {
                node.removePod(uid);
            }
        }
    }

    public synchronized boolean isPlaced(String uid) {
        return placed.containsKey(uid);
    }

    /** Nodes in a stable order (the order they joined). */
    public synchronized List<NodeInfo> nodes() {
        return order;
    }

    public synchronized NodeInfo node(String name) {
        return nodes.get(name);
    }

    /** Labels of a namespace, for namespaceSelectors of affinity terms (empty when unknown). */
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    public void setNamespaceLabels(String namespace, Map<String, String> labels) {
        if (labels == null) {
            namespaceLabels.remove(namespace);
        } else {
            namespaceLabels.put(namespace, Map.copyOf(labels));
        }
    }

    public synchronized int size() {
        return order.size();
    }
}
