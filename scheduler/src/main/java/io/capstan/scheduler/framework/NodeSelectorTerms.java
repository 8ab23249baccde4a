package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Node selector terms as Kubernetes matches them: terms are ORed, the requirements of a term ANDed. */
public final class NodeSelectorTerms {

    private NodeSelectorTerms() {}

    /** Whether any of the terms matches the node (an empty list of terms matches nothing). */
    public static boolean anyMatches(JsonNode terms, NodeInfo node) {
        for (JsonNode term : terms) {
            if (termMatches(term, node)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one term matches; a term with no requirements matches nothing, as in Kubernetes. */
    public static boolean termMatches(JsonNode term, NodeInfo node) {
        JsonNode exprs = term.path("matchExpressions");
        JsonNode fields = term.path("matchFields");
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        for (JsonNode r : exprs) {
            if (!requirementMatches(r, node.labels())) {
                return false;
            }
        }
        for (JsonNode r : fields) {
            if (!r.path("key").asText().equals("metadata.name") || !requirementMatches(r, Map.of("metadata.name", node.name()))) {
                return false;
            }
        }
        return true;
    }

    static boolean requirementMatches(JsonNode requirement, Map<String, String> labels) {
        String key = requirement.path("key").asText();
        List<String> values = new ArrayList<>();
        requirement.path("values").forEach(v -> values.add(v.asText()));
        String value = labels.get(key);
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
