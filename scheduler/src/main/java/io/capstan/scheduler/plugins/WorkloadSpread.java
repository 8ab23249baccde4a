package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.List;

/**
 * Spreads the pods of one workload (same controller) over nodes: fewer of its pods on a node is
 * better. Kubernetes gets this from PodTopologySpread's default constraints on the hostname.
 */
public final class WorkloadSpread implements ScorePlugin {

    @Override
    public int weight() {
        return 2;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> nodes) {
        if (pod.controllerUid().isEmpty()) {
            return node -> 0;
        }
        long most = 0;
        for (NodeInfo n : nodes) {
            most = Math.max(most, siblings(n, pod));
        }
        long max = most;
        return node -> max == 0 ? 100 : 100 * (max - siblings(node, pod)) / max;
    }

    private static long siblings(NodeInfo node, PodInfo pod) {
        return node.podsOf(pod.controllerUid()); // uids are unique across namespaces
    }
}
