package io.capstan.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks a node for a pod from a snapshot: every filter must pass, then the weighted scores
 * decide, ties going to the node found first. Like Kubernetes, on large clusters it stops
 * looking once it has found enough feasible nodes, starting each search where the last one
 * stopped so that nodes share the load.
 */
public final class SchedulingAlgorithm {

    private static final int MIN_FEASIBLE_TO_FIND = 100;

    private final List<FilterPlugin> filters;
    private final List<ScorePlugin> scorers;
    private int nextStart;

    public SchedulingAlgorithm(List<FilterPlugin> filters, List<ScorePlugin> scorers) {
        this.filters = filters;
        this.scorers = scorers;
    }

    public Decision schedule(PodInfo pod, List<NodeInfo> nodes) {
        int n = nodes.size();
        if (n == 0) {
            return new Decision(null, Map.of(), 0);
        }
        for (FilterPlugin f : filters) {
            String rejected = f.preFilter(pod);
            if (rejected != null) {
                return new Decision(null, Map.of(), n, rejected);
            }
        }
        List<FilterPlugin.NodeCheck> checks = checks(pod, nodes);
        int wanted = feasibleToFind(n);
        List<NodeInfo> feasible = new ArrayList<>();
        Map<String, Integer> unfit = new HashMap<>();
        int start = nextStart % n;
        int visited = 0;
        for (; visited < n && feasible.size() < wanted; visited++) {
            NodeInfo node = nodes.get((start + visited) % n);
            String reason = firstReason(checks, node);
            if (reason == null) {
                feasible.add(node);
            } else {
                unfit.merge(reason, 1, Integer::sum);
            }
        }
        nextStart = (start + visited) % n;
        if (feasible.isEmpty()) {
            return new Decision(null, unfit, n);
        }
        if (feasible.size() == 1) {
            return new Decision(feasible.getFirst().name(), Map.of(), n);
        }
        return new Decision(best(pod, feasible, nodes), Map.of(), n);
    }

    /** The filters prepared for this pod over these nodes. */
    public List<FilterPlugin.NodeCheck> checks(PodInfo pod, List<NodeInfo> nodes) {
        List<FilterPlugin.NodeCheck> checks = new ArrayList<>(filters.size());
        for (FilterPlugin f : filters) {
            checks.add(f.check(pod, nodes));
        }
        return checks;
    }

    /** The first filter's reason to refuse the node, or null when every filter passes. */
    public static String firstReason(List<FilterPlugin.NodeCheck> checks, NodeInfo node) {
        for (FilterPlugin.NodeCheck check : checks) {
            String reason = check.reasonUnfit(node);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private String best(PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> all) {
        long[] total = new long[feasible.size()];
        for (ScorePlugin plugin : scorers) {
            ScorePlugin.NodeScorer scorer = plugin.scorer(pod, feasible, all);
            long[] raw = new long[feasible.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = scorer.score(feasible.get(i));
            }
            plugin.normalize(raw);
            for (int i = 0; i < raw.length; i++) {
                total[i] += raw[i] * plugin.weight();
            }
        }
        int best = 0;
        for (int i = 1; i < total.length; i++) {
            if (total[i] > total[best]) {
                best = i;
            }
        }
        return feasible.get(best).name();
    }

    public List<FilterPlugin> filters() {
        return filters;
    }

    /** Kubernetes' adaptive percentageOfNodesToScore: 50% minus 1% per 125 nodes, at least 5%, and never fewer than 100 nodes. */
    static int feasibleToFind(int nodes) {
        if (nodes < MIN_FEASIBLE_TO_FIND) {
            return nodes;
        }
        int percent = Math.max(5, 50 - nodes / 125);
        return Math.max(MIN_FEASIBLE_TO_FIND, nodes * percent / 100);
    }
}
