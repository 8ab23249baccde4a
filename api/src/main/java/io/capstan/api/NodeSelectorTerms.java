package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node selector terms as Kubernetes matches them against a node (nodeaffinity): terms are ORed,
 * the requirements of a term ANDed; matchExpressions read the node's labels, matchFields its
 * metadata.name. Shared by the scheduler and the DaemonSet controller.
 */
public final class NodeSelectorTerms {

    private NodeSelectorTerms() {}

    /** Whether any of the terms matches the node (an empty list of terms matches nothing). */
    public static boolean anyMatches(JsonNode terms, String nodeName, Map<String, String> labels) {
        for (JsonNode term : terms) {
            if (termMatches(term, nodeName, labels)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one term matches; a term with no requirements matches nothing, as in Kubernetes. */
    public static boolean termMatches(JsonNode term, String nodeName, Map<String, String> labels) {
        JsonNode exprs = term.path("matchExpressions");
        JsonNode fields = term.path("matchFields");
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        for (JsonNode r : exprs) {
            if (!requirementMatches(r, labels.get(r.path("key").asText()))) {
                return false;
            }
        }
        for (JsonNode r : fields) {
            if (!r.path("key").asText().equals("metadata.name") || !requirementMatches(r, nodeName)) {
                return false;
            }
        }
        return true;
    }

    /** One requirement against the value the node has for its key (null when it has none). */
    static boolean requirementMatches(JsonNode requirement, String value) {
        List<String> values = new ArrayList<>();
        requirement.path("values").forEach(v -> values.add(v.asText()));
        return switch (requirement.path("operator").asText()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                if (value == null || values.size() != 1) {
                    yield false;
                }
                try {
                    long have = Long.parseLong(value);
                    long want = Long.parseLong(values.getFirst());
                    yield requirement.path("operator").asText().equals("Gt") ? have > want : have < want;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }
}
