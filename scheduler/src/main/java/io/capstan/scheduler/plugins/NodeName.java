package io.capstan.scheduler.plugins;

import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import java.util.List;

/** A pod that names its node in spec.nodeName (with a scheduler still asked) fits only there. */
public final class NodeName implements FilterPlugin {

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        String wanted = pod.nodeName();
        return node -> wanted.isEmpty() || wanted.equals(node.name()) ? null : "node(s) didn't match the requested node name";
    }
}
