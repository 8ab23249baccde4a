package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A Kubernetes label selector: requirements that all must hold, parsed from the string syntax or a LabelSelector object. */
public final class LabelSelector {

    /** One requirement on one label key. */
    record Requirement(String key, Operator op, List<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
                case GREATER_THAN, LESS_THAN -> v != null && compares(v);
            };
        }

        /** Gt and Lt hold only for labels that are integers, as Kubernetes compares them. */
        private boolean compares(String label) {
            try {
                long have = Long.parseLong(label);
                long want = Long.parseLong(values.getFirst());
                return op == Operator.GREATER_THAN ? have > want : have < want;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return switch (op) {
                case EQUALS -> key + "=" + values.getFirst();
                case NOT_EQUALS -> key + "!=" + values.getFirst();
                case IN -> key + " in (" + String.join(",", new TreeSet<>(values)) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", new TreeSet<>(values)) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case GREATER_THAN -> key + ">" + values.getFirst();
                case LESS_THAN -> key + "<" + values.getFirst();
            };
        }
    }

    /** The selection operators. */
    enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements.stream().sorted(Comparator.comparing(Requirement::key)).toList();
        this.nothing = nothing;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>1`; a bad selector is a 400 with apimachinery's message. */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        try {
            return new LabelSelector(LabelSelectorParser.parse(selector), false);
        } catch (LabelSelectorParser.ParseError e) {
            throw StatusException.badRequest(e.getMessage());
        }
    }

    /** A metav1.LabelSelector: null matches nothing, {} matches everything. */
    public static LabelSelector fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        node.path("matchLabels").properties().forEach(e -> reqs.add(new Requirement(e.getKey(), Operator.EQUALS, List.of(e.getValue().asText()))));
        for (JsonNode expr : node.path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            Operator op = switch (expr.path("operator").asText()) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "Exists" -> Operator.EXISTS;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> throw new IllegalArgumentException("\"" + expr.path("operator").asText() + "\" is not a valid label selector operator");
            };
            reqs.add(new Requirement(expr.path("key").asText(), op, values));
        }
        return new LabelSelector(reqs, false);
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Whether an object's metadata.labels match. */
    public boolean matches(JsonNode object) {
        return nothing ? false : requirements.isEmpty() || matches(Json.labels(object));
    }

    public boolean isEverything() {
        return !nothing && requirements.isEmpty();
    }

    /** The canonical string form, requirements sorted by key, as Kubernetes prints selectors. */
    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }
}
