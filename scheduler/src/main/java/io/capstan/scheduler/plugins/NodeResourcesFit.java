package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.List;
import java.util.Map;

/**
 * A pod fits where the node's allocatable covers its requests on top of what is requested
 * there already, and its pod count stays under the limit; among those, the least allocated
 * node scores best (Kubernetes' LeastAllocated strategy on cpu and memory).
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        Map<String, Long> requests = pod.requests();
        return node -> {
            if (node.offers("pods") && (node.podCount() + 1) * 1000L > node.allocatable("pods")) {
                return "Too many pods";
            }
            for (Map.Entry<String, Long> r : requests.entrySet()) {
                if (r.getValue() == 0) {
                    continue;
                }
                if (node.requested(r.getKey()) + r.getValue() > node.allocatable(r.getKey())) {
                    return "Insufficient " + r.getKey();
                }
            }
            return null;
        };
    }

    @Override
    public boolean preemptionMayHelp(String reason) {
        return true; // both of its reasons are about what other pods take
    }

    @Override
    public int weight() {
        return 1;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> nodes, List<NodeInfo> all) {
        long cpu = pod.nonZeroCpu();
        long memory = pod.nonZeroMemory();
        return node -> (free(node, "cpu", cpu) + free(node, "memory", memory)) / 2;
    }

    /** The share of the resource left free after placing the pod, 0 to 100. */
    static long free(NodeInfo node, String resource, long adding) {
        long capacity = node.allocatable(resource);
        if (capacity <= 0) {
            return 0;
        }
        long used = node.nonZeroRequested(resource) + adding;
        return used > capacity ? 0 : (capacity - used) * 100 / capacity;
    }
}
