package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' PodTopologySpread: DoNotSchedule constraints filter out domains where placing the
 * pod would make (matching pods there + 1) - (fewest in any eligible domain) exceed maxSkew;
 * ScheduleAnyway constraints, or the system defaults for pods without constraints, prefer the
 * domains with fewer matching pods. Counts per domain are made once per pod.
 */
public final class PodTopologySpread implements FilterPlugin, ScorePlugin {

    static final String UNFIT = "node(s) didn't match pod topology spread constraints";
    static final String MISSING_LABEL = UNFIT + " (missing required label)";
    /** Raw score of a node the scoring ignores (it lacks a topology key), as Kubernetes' invalidScore. */
    private static final long IGNORED = -1;

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        List<SpreadConstraint> hard = SpreadConstraint.of(pod, "DoNotSchedule");
        if (hard.isEmpty()) {
            return node -> null;
        }
        NodeCheck nodeAffinity = new NodeAffinity().check(pod, nodes);
        List<Map<String, Integer>> counts = new ArrayList<>();
        hard.forEach(c -> counts.add(new HashMap<>()));
        for (NodeInfo node : nodes) {
            if (!SpreadConstraint.hasAllKeys(node, hard)) {
                continue;
            }
            for (int i = 0; i < hard.size(); i++) {
                SpreadConstraint c = hard.get(i);
                if (included(c, pod, node, nodeAffinity)) {
                    counts.get(i).merge(node.labels().get(c.topologyKey()), c.count(node, pod.namespace()), Integer::sum);
                }
            }
        }
        int[] min = new int[hard.size()];
        for (int i = 0; i < hard.size(); i++) {
            // Fewer eligible domains than minDomains: the global minimum counts as 0.
            min[i] = counts.get(i).size() < hard.get(i).minDomains() ? 0
                    : counts.get(i).values().stream().mapToInt(Integer::intValue).min().orElse(0);
        }
        return node -> {
            for (int i = 0; i < hard.size(); i++) {
                SpreadConstraint c = hard.get(i);
                String value = node.labels().get(c.topologyKey());
                if (value == null) {
                    return MISSING_LABEL;
                }
                int self = c.selector().matches(pod.labels()) ? 1 : 0;
                if (counts.get(i).getOrDefault(value, 0) + self - min[i] > c.maxSkew()) {
                    return UNFIT;
                }
            }
            return null;
        };
    }

    @Override
    public boolean preemptionMayHelp(String reason) {
        return reason.equals(UNFIT);
    }

    @Override
    public int weight() {
        return 2;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> all) {
        boolean own = pod.spec().has("topologySpreadConstraints");
        List<SpreadConstraint> soft = own ? SpreadConstraint.of(pod, "ScheduleAnyway") : SpreadConstraint.systemDefaults(pod);
        if (soft.isEmpty()) {
            return node -> 0;
        }
        // The system defaults spread over whichever keys a node has; a pod's own constraints need them all.
        Set<String> ignored = new HashSet<>();
        List<Map<String, Integer>> counts = new ArrayList<>();
        soft.forEach(c -> counts.add(new HashMap<>()));
        for (NodeInfo node : feasible) {
            if (own && !SpreadConstraint.hasAllKeys(node, soft)) {
                ignored.add(node.name());
                continue;
            }
            for (int i = 0; i < soft.size(); i++) {
                String key = soft.get(i).topologyKey();
                if (!key.equals(SpreadConstraint.HOSTNAME)) {
                    counts.get(i).put(node.labels().get(key), 0); // a null value: the node is outside this constraint
                }
            }
        }
        double[] weight = new double[soft.size()];
        for (int i = 0; i < soft.size(); i++) {
            counts.get(i).remove(null);
            int size = soft.get(i).topologyKey().equals(SpreadConstraint.HOSTNAME) ? feasible.size() - ignored.size() : counts.get(i).size();
            weight[i] = Math.log(size + 2);
        }
        boolean domainsToCount = false;
        for (int i = 0; i < soft.size(); i++) {
            domainsToCount |= !counts.get(i).isEmpty();
        }
        NodeCheck nodeAffinity = new NodeAffinity().check(pod, all);
        // Only domains other than single nodes need the pods of every node counted.
        for (NodeInfo node : domainsToCount ? all : List.<NodeInfo>of()) {
            if (own && !SpreadConstraint.hasAllKeys(node, soft)) {
                continue;
            }
            for (int i = 0; i < soft.size(); i++) {
                SpreadConstraint c = soft.get(i);
                String value = node.labels().get(c.topologyKey());
                if (value != null && counts.get(i).containsKey(value) && included(c, pod, node, nodeAffinity)) {
                    counts.get(i).merge(value, c.count(node, pod.namespace()), Integer::sum);
                }
            }
        }
        return node -> {
            if (ignored.contains(node.name())) {
                return IGNORED;
            }
            double score = 0;
            for (int i = 0; i < soft.size(); i++) {
                SpreadConstraint c = soft.get(i);
                String value = node.labels().get(c.topologyKey());
                boolean hostname = c.topologyKey().equals(SpreadConstraint.HOSTNAME);
                if (value == null && !hostname) {
                    continue;
                }
                // Capstan's nodes may lack the hostname label; the node itself is that domain anyway.
                long n = hostname ? c.count(node, pod.namespace()) : counts.get(i).getOrDefault(value, 0);
                score += n * weight[i] + (c.maxSkew() - 1);
            }
            return Math.round(score);
        };
    }

    /** Fewer matching pods is better: Kubernetes maps a raw score s to 100 * (max + min - s) / max. */
    @Override
    public void normalize(long[] scores) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long s : scores) {
            if (s != IGNORED) {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scores[i] == IGNORED ? 0 : max == 0 ? 100 : 100 * (max + min - scores[i]) / max;
        }
    }

    /** nodeAffinityPolicy and nodeTaintsPolicy: which nodes' pods count. */
    private static boolean included(SpreadConstraint c, PodInfo pod, NodeInfo node, NodeCheck nodeAffinity) {
        if (c.honorNodeAffinity() && nodeAffinity.reasonUnfit(node) != null) {
            return false;
        }
        return !c.honorTaints() || TaintToleration.untolerated(node, pod.spec().path("tolerations")) == null;
    }
}
