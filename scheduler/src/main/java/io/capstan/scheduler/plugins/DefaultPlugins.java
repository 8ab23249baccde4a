package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.List;

/** The plugins the default scheduler profile runs, cheapest filters first. */
public final class DefaultPlugins {

    private DefaultPlugins() {}

    public static List<FilterPlugin> filters() {
        return List.of(new NodeUnschedulable(), new NodeName(), new TaintToleration(), new NodeAffinity(), new NodeResourcesFit());
    }

    public static List<ScorePlugin> scorers() {
        return List.of(new TaintToleration(), new NodeAffinity(), new NodeResourcesFit(), new BalancedAllocation(), new WorkloadSpread());
    }
}
