package io.capstan.controllers.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.NodeSelectorTerms;
import io.capstan.api.Tolerations;
import java.util.Map;

/**
 * Whether a DaemonSet's pod belongs on a node (NodeShouldRunDaemonPod): its nodeName, nodeSelector
 * and required node affinity must fit the node, and its tolerations (with the DaemonSet defaults)
 * must tolerate the node's NoSchedule and NoExecute taints. A pod already there may stay when only
 * NoSchedule taints are untolerated.
 */
final class NodeFit {

    /** shouldRun: a pod should be created there; shouldContinueRunning: an existing pod may stay. */
    record Verdict(boolean shouldRun, boolean shouldContinueRunning) {}

    private NodeFit() {}

    /** spec is the DaemonSet's pod spec with the default tolerations ({@link DaemonPods#podSpec}). */
    static Verdict check(JsonNode node, JsonNode spec) {
        String nodeName = node.path("metadata").path("name").asText();
        String wanted = spec.path("nodeName").asText("");
        if (!wanted.isEmpty() && !wanted.equals(nodeName)) {
            return new Verdict(false, false);
        }
        if (!selectorFits(spec, node)) {
            return new Verdict(false, false);
        }
        JsonNode tolerations = spec.path("tolerations");
        boolean untoleratedNoSchedule = false;
        boolean untoleratedNoExecute = false;
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if (!Tolerations.tolerates(tolerations, taint.path("key").asText(), taint.path("value").asText(""), effect)) {
                untoleratedNoSchedule |= effect.equals("NoSchedule");
                untoleratedNoExecute |= effect.equals("NoExecute");
            }
        }
        if (untoleratedNoSchedule || untoleratedNoExecute) {
            return new Verdict(false, !untoleratedNoExecute);
        }
        return new Verdict(true, true);
    }

    /** spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution against the node. */
    static boolean selectorFits(JsonNode spec, JsonNode node) {
        Map<String, String> labels = Json.labels(node);
        for (Map.Entry<String, JsonNode> e : spec.path("nodeSelector").properties()) {
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        JsonNode required = spec.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        return required.isMissingNode() || required.isNull()
                || NodeSelectorTerms.anyMatches(required.path("nodeSelectorTerms"), node.path("metadata").path("name").asText(), labels);
    }
}
