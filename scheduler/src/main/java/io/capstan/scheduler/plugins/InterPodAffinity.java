package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.AffinityTerm;
import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodAffinity;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' InterPodAffinity: the pod's required affinity needs a matching pod in the node's
 * topology domain, its required anti-affinity needs none there, and existing pods' required
 * anti-affinity keeps it out of their domains; preferred terms (its own and existing pods') score.
 * Counts per topology domain are made once per pod; a pod without terms only looks at pods that
 * have some.
 */
public final class InterPodAffinity implements FilterPlugin, ScorePlugin {

    static final String AFFINITY_UNFIT = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_UNFIT = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY_UNFIT = "node(s) didn't satisfy existing pods anti-affinity rules";
    /** Kubernetes' hardPodAffinityWeight: how much an existing pod's required affinity to this pod counts in scoring. */
    private static final int HARD_AFFINITY_WEIGHT = 1;

    private final Function<String, Map<String, String>> namespaceLabels;

    /** @param namespaceLabels the labels of a namespace, for namespaceSelectors */
    public InterPodAffinity(Function<String, Map<String, String>> namespaceLabels) {
        this.namespaceLabels = namespaceLabels;
    }

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        PodAffinity terms = pod.affinity();
        Map<String, String> podNsLabels = namespaceLabels.apply(pod.namespace());
        Map<String, Integer> existingAnti = new HashMap<>();
        Map<String, Integer> affinity = new HashMap<>();
        Map<String, Integer> anti = new HashMap<>();
        boolean ownTerms = !terms.requiredAffinity().isEmpty() || !terms.requiredAntiAffinity().isEmpty();
        for (NodeInfo node : nodes) {
            if (node.hasPodsWithRequiredAntiAffinity()) {
                for (PodInfo existing : node.podsWithAffinity()) {
                    for (AffinityTerm t : existing.affinity().requiredAntiAffinity()) {
                        if (t.matches(pod, podNsLabels)) {
                            count(existingAnti, t, node, 1);
                        }
                    }
                }
            }
            if (ownTerms) {
                for (PodInfo existing : node.pods()) {
                    Map<String, String> nsLabels = namespaceLabels.apply(existing.namespace());
                    if (matchesAll(terms.requiredAffinity(), existing, nsLabels)) {
                        terms.requiredAffinity().forEach(t -> count(affinity, t, node, 1));
                    }
                    for (AffinityTerm t : terms.requiredAntiAffinity()) {
                        if (t.matches(existing, nsLabels)) {
                            count(anti, t, node, 1);
                        }
                    }
                }
            }
        }
        if (!ownTerms && existingAnti.isEmpty()) {
            return node -> null;
        }
        boolean selfMatch = matchesAll(terms.requiredAffinity(), pod, podNsLabels);
        return node -> {
            if (!satisfiesAffinity(terms.requiredAffinity(), affinity, selfMatch, node)) {
                return AFFINITY_UNFIT;
            }
            if (!anti.isEmpty()) {
                for (AffinityTerm t : terms.requiredAntiAffinity()) {
                    String value = node.labels().get(t.topologyKey());
                    if (value != null && anti.getOrDefault(pair(t.topologyKey(), value), 0) > 0) {
                        return ANTI_AFFINITY_UNFIT;
                    }
                }
            }
            if (!existingAnti.isEmpty()) {
                for (Map.Entry<String, String> label : node.labels().entrySet()) {
                    if (existingAnti.getOrDefault(pair(label.getKey(), label.getValue()), 0) > 0) {
                        return EXISTING_ANTI_AFFINITY_UNFIT;
                    }
                }
            }
            return null;
        };
    }

    /**
     * Every term's topology key must be on the node and each domain must hold a matching pod; the
     * first pod of a group that is affine to itself may go anywhere with the keys, so it is not
     * pending forever.
     */
    private static boolean satisfiesAffinity(List<AffinityTerm> terms, Map<String, Integer> counts, boolean selfMatch, NodeInfo node) {
        boolean podsExist = true;
        for (AffinityTerm t : terms) {
            String value = node.labels().get(t.topologyKey());
            if (value == null) {
                return false;
            }
            if (counts.getOrDefault(pair(t.topologyKey(), value), 0) <= 0) {
                podsExist = false;
            }
        }
        return podsExist || (counts.isEmpty() && selfMatch);
    }

    @Override
    public boolean preemptionMayHelp(String reason) {
        return !reason.equals(AFFINITY_UNFIT); // Kubernetes does not preempt to satisfy affinity to the victims
    }

    @Override
    public int weight() {
        return 2;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> all) {
        PodAffinity terms = pod.affinity();
        boolean own = terms.hasPreferred();
        Map<String, String> podNsLabels = namespaceLabels.apply(pod.namespace());
        Map<String, Long> score = new HashMap<>();
        for (NodeInfo node : all) {
            if (node.labels().isEmpty() || (!own && node.podsWithAffinity().isEmpty())) {
                continue;
            }
            for (PodInfo existing : own ? node.pods() : node.podsWithAffinity()) {
                Map<String, String> nsLabels = namespaceLabels.apply(existing.namespace());
                for (AffinityTerm t : terms.preferredAffinity()) {
                    add(score, t, t.weight(), t.matches(existing, nsLabels), node);
                }
                for (AffinityTerm t : terms.preferredAntiAffinity()) {
                    add(score, t, -t.weight(), t.matches(existing, nsLabels), node);
                }
                PodAffinity theirs = existing.affinity();
                for (AffinityTerm t : theirs.requiredAffinity()) {
                    add(score, t, HARD_AFFINITY_WEIGHT, t.matches(pod, podNsLabels), node);
                }
                for (AffinityTerm t : theirs.preferredAffinity()) {
                    add(score, t, t.weight(), t.matches(pod, podNsLabels), node);
                }
                for (AffinityTerm t : theirs.preferredAntiAffinity()) {
                    add(score, t, -t.weight(), t.matches(pod, podNsLabels), node);
                }
            }
        }
        if (score.isEmpty()) {
            return node -> 0;
        }
        return node -> {
            long sum = 0;
            for (Map.Entry<String, String> label : node.labels().entrySet()) {
                sum += score.getOrDefault(pair(label.getKey(), label.getValue()), 0L);
            }
            return sum;
        };
    }

    /** Min-max scaling to 0..100, as Kubernetes normalizes this plugin (raw scores may be negative). */
    @Override
    public void normalize(long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = max > min ? 100 * (scores[i] - min) / (max - min) : 0;
        }
    }

    private static void add(Map<String, Long> score, AffinityTerm t, int weight, boolean matches, NodeInfo node) {
        String value = node.labels().get(t.topologyKey());
        if (matches && value != null) {
            score.merge(pair(t.topologyKey(), value), (long) weight, Long::sum);
        }
    }

    private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod, Map<String, String> nsLabels) {
        if (terms.isEmpty()) {
            return false;
        }
        for (AffinityTerm t : terms) {
            if (!t.matches(pod, nsLabels)) {
                return false;
            }
        }
        return true;
    }

    private static void count(Map<String, Integer> counts, AffinityTerm t, NodeInfo node, int by) {
        String value = node.labels().get(t.topologyKey());
        if (value != null) {
            counts.merge(pair(t.topologyKey(), value), by, Integer::sum);
        }
    }

    /** A topology domain: label key and value. */
    static String pair(String key, String value) {
        return key + '\u0000' + value;
    }
}
