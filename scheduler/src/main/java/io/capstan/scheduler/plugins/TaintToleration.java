package io.capstan.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Tolerations;
import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import io.capstan.scheduler.framework.Taint;
import java.util.List;

/** Taints with NoSchedule or NoExecute keep off pods that do not tolerate them; PreferNoSchedule ones lower the score. */
public final class TaintToleration implements FilterPlugin, ScorePlugin {

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        JsonNode tolerations = pod.spec().path("tolerations");
        return node -> {
            Taint t = untolerated(node, tolerations);
            return t == null ? null : "node(s) had untolerated taint {" + t.key() + ": " + t.value() + "}";
        };
    }

    /** The first NoSchedule or NoExecute taint of the node that the tolerations do not cover, or null. */
    static Taint untolerated(NodeInfo node, JsonNode tolerations) {
        for (Taint t : node.taints()) {
            if ((t.effect().equals("NoSchedule") || t.effect().equals("NoExecute")) && !tolerates(tolerations, t.key(), t.value(), t.effect())) {
                return t;
            }
        }
        return null;
    }

    @Override
    public int weight() {
        return 3;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> nodes, List<NodeInfo> all) {
        JsonNode tolerations = pod.spec().path("tolerations");
        int most = 0;
        for (NodeInfo n : nodes) {
            most = Math.max(most, intolerable(n, tolerations));
        }
        int max = most;
        // Fewer untolerated PreferNoSchedule taints is better: the node with none scores 100.
        return node -> max == 0 ? 100 : 100 - (100L * intolerable(node, tolerations)) / max;
    }

    private static int intolerable(NodeInfo node, JsonNode tolerations) {
        int n = 0;
        for (Taint t : node.taints()) {
            if (t.effect().equals("PreferNoSchedule") && !tolerates(tolerations, t.key(), t.value(), t.effect())) {
                n++;
            }
        }
        return n;
    }

    /** Whether some toleration matches the taint, as v1.Toleration.ToleratesTaint decides. */
    public static boolean tolerates(JsonNode tolerations, String key, String value, String effect) {
        return Tolerations.tolerates(tolerations, key, value, effect);
    }
}
