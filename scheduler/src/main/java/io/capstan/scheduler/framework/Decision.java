package io.capstan.scheduler.framework;

import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of scheduling one pod.
 *
 * @param node the chosen node, or null when none fits
 * @param unfit how many nodes failed for each reason (empty when a node was chosen)
 * @param total how many nodes were considered
 * @param preFilter why no node could fit, when a pre-filter said so before any node was looked at (else null)
 */
public record Decision(String node, Map<String, Integer> unfit, int total, String preFilter) {

    public Decision(String node, Map<String, Integer> unfit, int total) {
        this(node, unfit, total, null);
    }

    public boolean scheduled() {
        return node != null;
    }

    /**
     * Kubernetes' FailedScheduling message: "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.",
     * or with a pre-filter's reason "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims."
     */
    public String message() {
        if (total == 0) {
            return "no nodes available to schedule pods";
        }
        if (preFilter != null) {
            return "0/" + total + " nodes are available: " + preFilter + ".";
        }
        TreeMap<String, Integer> sorted = new TreeMap<>(unfit);
        java.util.List<String> parts = new java.util.ArrayList<>();
        sorted.forEach((reason, n) -> parts.add(n + " " + reason));
        java.util.Collections.sort(parts);
        return "0/" + total + " nodes are available: " + String.join(", ", parts) + ".";
    }
}
