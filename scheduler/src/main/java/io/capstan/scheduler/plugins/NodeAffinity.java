package io.capstan.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.NodeSelectorTerms;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.ScorePlugin;
import java.util.List;
import java.util.Map;

/** spec.nodeSelector and required node affinity filter; preferred node affinity scores by the weights of the terms met. */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {

    static final String UNFIT = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        JsonNode selector = pod.spec().path("nodeSelector");
        JsonNode required = pod.spec().path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        return node -> {
            for (Map.Entry<String, JsonNode> e : selector.properties()) {
                if (!e.getValue().asText().equals(node.labels().get(e.getKey()))) {
                    return UNFIT;
                }
            }
            if (!required.isMissingNode() && !NodeSelectorTerms.anyMatches(required, node)) {
                return UNFIT;
            }
            return null;
        };
    }

    @Override
    public int weight() {
        return 2;
    }

    @Override
    public NodeScorer scorer(PodInfo pod, List<NodeInfo> nodes, List<NodeInfo> all) {
        JsonNode preferred = pod.spec().path("affinity").path("nodeAffinity").path("preferredDuringSchedulingIgnoredDuringExecution");
        return node -> {
            long sum = 0;
            for (JsonNode term : preferred) {
                if (NodeSelectorTerms.termMatches(term.path("preference"), node)) {
                    sum += term.path("weight").asLong(0);
                }
            }
            return sum;
        };
    }

    @Override
    public void normalize(long[] scores) {
        ScorePlugin.scaleToMax(scores);
    }
}
