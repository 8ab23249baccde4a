package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.ScorePlugin;
import io.capstan.scheduler.framework.VolumeObjects;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The plugins the default scheduler profile runs, in Kubernetes' order (cheapest filters first). */
public final class DefaultPlugins {

    private DefaultPlugins() {}

    /**
     * @param namespaceLabels the labels of a namespace, for namespaceSelectors of affinity terms
     * @param volumes claims, volumes and classes, for pods with persistent volumes
     */
    public static List<FilterPlugin> filters(Function<String, Map<String, String>> namespaceLabels, VolumeObjects volumes) {
        return List.of(new NodeUnschedulable(), new NodeName(), new TaintToleration(), new NodeAffinity(), new NodeResourcesFit(),
                new VolumeBinding(volumes), new PodTopologySpread(), new InterPodAffinity(namespaceLabels));
    }

    public static List<ScorePlugin> scorers(Function<String, Map<String, String>> namespaceLabels) {
        return List.of(new TaintToleration(), new NodeAffinity(), new NodeResourcesFit(), new BalancedAllocation(),
                new PodTopologySpread(), new InterPodAffinity(namespaceLabels));
    }
}
