package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.List;

/** Prefers nodes where cpu and memory stay equally used after placing the pod (Kubernetes' NodeResourcesBalancedAllocation). */
public final class BalancedAllocation implements ScorePlugin {

    @Override
    public int weight() {
        return 1;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> nodes, List<NodeInfo> all) {
        long cpu = pod.nonZeroCpu();
        long memory = pod.nonZeroMemory();
        return node -> {
            double c = fraction(node, "cpu", cpu);
            double m = fraction(node, "memory", memory);
            // The standard deviation of two fractions is |c - m| / 2; the score is 100 * (1 - std).
            return Math.round((1 - Math.abs(c - m) / 2) * 100);
        };
    }

    private static double fraction(NodeInfo node, String resource, long adding) {
        long capacity = node.allocatable(resource);
        return capacity <= 0 ? 1 : Math.min(1, (node.nonZeroRequested(resource) + adding) / (double) capacity);
    }
}
