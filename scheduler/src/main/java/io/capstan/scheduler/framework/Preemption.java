package io.capstan.scheduler.framework;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' DefaultPreemption (PostFilter) as a pure function: when a pod fits nowhere, find the
 * node where evicting the fewest and least important lower-priority pods lets it fit, sparing pods
 * whose PodDisruptionBudget would be broken where it can.
 */
public final class Preemption {

    private static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    private static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";

    /** The outcome: a node and the pods to evict there, or why there is none (Kubernetes' words, after "preemption: "). */
    public record Result(String node, List<PodInfo> victims, String message) {
        public boolean found() {
            return node != null;
        }
    }

    private record Candidate(NodeInfo node, List<PodInfo> victims, int pdbViolations) {}

    private final SchedulingAlgorithm algorithm;

    public Preemption(SchedulingAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    public Result preempt(PodInfo pod, List<NodeInfo> nodes, List<DisruptionBudget> budgets, String nominatedNode) {
        if (!pod.mayPreempt()) {
            return new Result(null, List.of(), "not eligible due to preemptionPolicy=Never.");
        }
        if (!nominatedNode.isEmpty() && terminatingVictimsOn(nodes, nominatedNode, pod.priority())) {
            // Its earlier victims are still leaving: wait for them rather than evict more.
            return new Result(null, List.of(), "not eligible due to a terminating pod on the nominated node.");
        }
        List<FilterPlugin.NodeCheck> checks = algorithm.checks(pod, nodes);
        Map<String, Integer> statuses = new HashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo node = nodes.get(i);
            if (!mayHelp(checks, node)) {
                statuses.merge(NOT_HELPFUL, 1, Integer::sum);
                continue;
            }
            String[] why = new String[1];
            Candidate c = victimsOn(pod, nodes, i, budgets, why);
            if (c == null) {
                statuses.merge(why[0], 1, Integer::sum);
            } else {
                candidates.add(c);
            }
        }
        if (candidates.isEmpty()) {
            return new Result(null, List.of(), new Decision(null, statuses, nodes.size()).message());
        }
        Candidate best = candidates.stream().min(Comparator.comparingInt(Candidate::pdbViolations)
                .thenComparingInt(c -> highestPriority(c.victims()))
                .thenComparingLong(c -> c.victims().stream().mapToLong(v -> (long) v.priority() - Integer.MIN_VALUE).sum())
                .thenComparingInt(c -> c.victims().size())).orElseThrow();
        return new Result(best.node().name(), best.victims(), "");
    }

    /** Whether the filter that refuses the node says evicting pods could change its mind. */
    private boolean mayHelp(List<FilterPlugin.NodeCheck> checks, NodeInfo node) {
        for (int i = 0; i < checks.size(); i++) {
            String reason = checks.get(i).reasonUnfit(node);
            if (reason != null) {
                return algorithm.filters().get(i).preemptionMayHelp(reason);
            }
        }
        return true;
    }

    /**
     * Removes every lower-priority pod; if the pod then fits, puts them back one by one (PDB-guarded
     * ones first, most important first) as long as it still fits: those that cannot come back are the victims.
     */
    private Candidate victimsOn(PodInfo pod, List<NodeInfo> nodes, int index, List<DisruptionBudget> budgets, String[] why) {
        NodeInfo node = nodes.get(index);
        List<PodInfo> lower = new ArrayList<>();
        for (PodInfo p : node.pods()) {
            if (p.priority() < pod.priority()) {
                lower.add(p);
            }
        }
        if (lower.isEmpty()) {
            why[0] = NO_VICTIMS;
            return null;
        }
        Set<String> removed = new HashSet<>();
        lower.forEach(p -> removed.add(p.uid()));
        String reason = reasonOn(pod, nodes, index, removed);
        if (reason != null) {
            why[0] = reason;
            return null;
        }
        lower.sort(Comparator.comparingInt(PodInfo::priority).reversed().thenComparing(PodInfo::created));
        Set<String> violating = violating(lower, budgets);
        List<PodInfo> ordered = new ArrayList<>(lower.stream().filter(p -> violating.contains(p.uid())).toList());
        ordered.addAll(lower.stream().filter(p -> !violating.contains(p.uid())).toList());
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (PodInfo p : ordered) {
            removed.remove(p.uid());
            if (reasonOn(pod, nodes, index, removed) != null) {
                removed.add(p.uid());
                victims.add(p);
                violations += violating.contains(p.uid()) ? 1 : 0;
            }
        }
        return new Candidate(node, victims, violations);
    }

    /** Why the pod would not fit on the node without those pods (the filters prepared again on the changed snapshot). */
    private String reasonOn(PodInfo pod, List<NodeInfo> nodes, int index, Set<String> removed) {
        NodeInfo changed = nodes.get(index).without(removed);
        List<NodeInfo> whatIf = new AbstractList<>() {
            @Override
            public NodeInfo get(int i) {
                return i == index ? changed : nodes.get(i);
            }

            @Override
            public int size() {
                return nodes.size();
            }
        };
        return SchedulingAlgorithm.firstReason(algorithm.checks(pod, whatIf), changed);
    }

    /** The pods whose eviction would take a budget below zero, counting down as Kubernetes does. */
    private static Set<String> violating(List<PodInfo> pods, List<DisruptionBudget> budgets) {
        int[] allowed = budgets.stream().mapToInt(DisruptionBudget::disruptionsAllowed).toArray();
        Set<String> out = new HashSet<>();
        for (PodInfo p : pods) {
            for (int i = 0; i < budgets.size(); i++) {
                DisruptionBudget b = budgets.get(i);
                if (b.guards(p) && !b.disruptedPods().contains(p.name()) && --allowed[i] < 0) {
                    out.add(p.uid());
                }
            }
        }
        return out;
    }

    private static int highestPriority(List<PodInfo> victims) {
        return victims.stream().mapToInt(PodInfo::priority).max().orElse(Integer.MIN_VALUE);
    }

    private static boolean terminatingVictimsOn(List<NodeInfo> nodes, String name, int priority) {
        for (NodeInfo n : nodes) {
            if (n.name().equals(name)) {
                return n.pods().stream().anyMatch(p -> p.terminating() && p.priority() < priority);
            }
        }
        return false;
    }
}
