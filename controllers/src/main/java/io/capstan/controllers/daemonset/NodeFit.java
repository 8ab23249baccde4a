package io.capstan.controllers.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
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
            if (!tolerated(tolerations, taint)) {
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
        JsonNode labels = node.path("metadata").path("labels");
        for (Map.Entry<String, JsonNode> e : spec.path("nodeSelector").properties()) {
            if (!labels.has(e.getKey()) || !labels.get(e.getKey()).asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        JsonNode required = spec.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        if (required.isMissingNode() || required.isNull()) {
            return true;
        }
        for (JsonNode term : required.path("nodeSelectorTerms")) {
            if (termMatches(term, node)) {
                return true;
            }
        }
        return false;
    }

    /** A term matches when all its requirements do; a term without requirements matches nothing. */
    private static boolean termMatches(JsonNode term, JsonNode node) {
        JsonNode exprs = term.path("matchExpressions");
        JsonNode fields = term.path("matchFields");
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        JsonNode labels = node.path("metadata").path("labels");
        for (JsonNode r : exprs) {
            String key = r.path("key").asText();
            if (!requirementMatches(r, labels.has(key) ? labels.get(key).asText() : null)) {
                return false;
            }
        }
        for (JsonNode r : fields) {
            if (!r.path("key").asText().equals("metadata.name")
                    || !requirementMatches(r, node.path("metadata").path("name").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean requirementMatches(JsonNode r, String value) {
        List<String> values = new ArrayList<>();
        r.path("values").forEach(v -> values.add(v.asText()));
        return switch (r.path("operator").asText()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                try {
                    long have = Long.parseLong(value);
                    long limit = Long.parseLong(values.getFirst());
                    yield r.path("operator").asText().equals("Gt") ? have > limit : have < limit;
                } catch (RuntimeException e) {
                    yield false; // no value, no single number, or not a number
                }
            }
            default -> false;
        };
    }

    /** v1.Toleration.ToleratesTaint for any of the tolerations. */
    static boolean tolerated(JsonNode tolerations, JsonNode taint) {
        for (JsonNode t : tolerations) {
            String effect = t.path("effect").asText("");
            String key = t.path("key").asText("");
            if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
                continue;
            }
            if (!key.isEmpty() && !key.equals(taint.path("key").asText())) {
                continue;
            }
            switch (t.path("operator").asText("Equal")) {
                case "Exists" -> {
                    return true;
                }
                case "Equal", "" -> {
                    if (t.path("value").asText("").equals(taint.path("value").asText(""))) {
                        return true;
                    }
                }
                default -> { }
            }
        }
        return false;
    }
}
