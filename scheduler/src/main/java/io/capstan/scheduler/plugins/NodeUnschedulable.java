package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import java.util.List;

/** A cordoned node (spec.unschedulable) takes only pods that tolerate node.kubernetes.io/unschedulable. */
public final class NodeUnschedulable implements FilterPlugin {

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        boolean tolerates = TaintToleration.tolerates(pod.spec().path("tolerations"), "node.kubernetes.io/unschedulable", "", "NoSchedule");
        return node -> node.unschedulable() && !tolerates ? "node(s) were unschedulable" : null;
    }
}
