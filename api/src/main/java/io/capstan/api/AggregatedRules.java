package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The rules an aggregated ClusterRole should hold, as Kubernetes' ClusterRoleAggregation controller
 * gathers them: for each of its clusterRoleSelectors in turn, the rules of every other ClusterRole
 * the selector matches (by name order), each rule once.
 */
public final class AggregatedRules {

    private AggregatedRules() {}

    /** Whether the ClusterRole has an aggregationRule (its rules are then not its own to set). */
    public static boolean isAggregated(JsonNode clusterRole) {
        return clusterRole.path("aggregationRule").isObject();
    }

    public static ArrayNode of(JsonNode clusterRole, Collection<? extends JsonNode> clusterRoles) {
        String self = clusterRole.path("metadata").path("name").asText();
        List<JsonNode> sorted = new ArrayList<>(clusterRoles);
        sorted.sort(Comparator.comparing(r -> r.path("metadata").path("name").asText()));
        ArrayNode rules = Json.array();
        for (JsonNode selectorJson : clusterRole.path("aggregationRule").path("clusterRoleSelectors")) {
            LabelSelector selector = LabelSelector.fromJson(selectorJson);
            for (JsonNode role : sorted) {
                if (role.path("metadata").path("name").asText().equals(self) || !selector.matches(role)) {
                    continue;
                }
                for (JsonNode rule : role.path("rules")) {
                    if (!contains(rules, rule)) {
                        rules.add(rule.deepCopy());
                    }
                }
            }
        }
        return rules;
    }

    private static boolean contains(ArrayNode rules, JsonNode rule) {
        for (JsonNode r : rules) {
            if (r.equals(rule)) {
                return true;
            }
        }
        return false;
    }
}
