package io.capstan.scheduler.framework;

import java.util.List;

/** A preference between feasible nodes: prepared once per pod, then a score of 0 to 100 per node. */
public interface ScorePlugin {

    /** How much this plugin's score counts beside the others. */
    int weight();

    /** The scoring of this pod (may precompute over all nodes). */
    NodeScorer scorer(PodInfo pod, List<NodeInfo> nodes);

    /** Whether raw scores are rescaled so that the best node gets 100 (for plugins that sum weights). */
    default boolean normalized() {
        return false;
    }

    /** One pod's score of one node, 0 (worst) to 100 (best). */
    @FunctionalInterface
    interface NodeScorer {
        long score(NodeInfo node);
    }
}
