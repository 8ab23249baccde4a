package io.capstan.scheduler.framework;

import java.util.List;

/** A preference between feasible nodes: prepared once per pod, then a score of 0 to 100 per node. */
public interface ScorePlugin {

    /** How much this plugin's score counts beside the others. */
    int weight();

    /** The scoring of this pod among the feasible nodes (may precompute over them and over all nodes). */
    NodeScorer scorer(PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> all);

    /** Turns the raw scores of the feasible nodes into 0 to 100, in place; by default they are that already. */
    default void normalize(long[] scores) {}

    /** Rescales so that the best node gets 100 (for plugins that sum weights). */
    static void scaleToMax(long[] scores) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = max == 0 ? 0 : scores[i] * 100 / max;
        }
    }

    /** One pod's score of one node, 0 (worst) to 100 (best). */
    @FunctionalInterface
    interface NodeScorer {
        long score(NodeInfo node);
    }
}
