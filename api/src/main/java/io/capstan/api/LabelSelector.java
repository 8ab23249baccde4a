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
            };
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
            };
        }
    }

    /** The selection operators. */
    enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

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

    /** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`; a bad selector is a 400. */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        for (String part : splitTopLevel(selector)) {
            reqs.add(requirement(part.trim(), selector));
        }
        return new LabelSelector(reqs, false);
    }

    private static Requirement requirement(String p, String whole) {
        if (p.isEmpty()) {
            throw bad(whole, "found '', expected: identifier");
        }
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(p);
        if (set.matches()) {
            List<String> values = new ArrayList<>();
            for (String v : set.group(3).split(",", -1)) {
                values.add(validValue(v.trim(), whole));
            }
            return new Requirement(validKey(set.group(1), whole), set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        if (p.startsWith("!")) {
            return new Requirement(validKey(p.substring(1).trim(), whole), Operator.DOES_NOT_EXIST, List.of());
        }
        int ne = p.indexOf("!=");
        if (ne > 0) {
            return new Requirement(validKey(p.substring(0, ne).trim(), whole), Operator.NOT_EQUALS, List.of(validValue(p.substring(ne + 2).trim(), whole)));
        }
        int eq = p.indexOf('=');
        if (eq > 0) {
            String value = p.startsWith("==", eq) ? p.substring(eq + 2) : p.substring(eq + 1);
            return new Requirement(validKey(p.substring(0, eq).trim(), whole), Operator.EQUALS, List.of(validValue(value.trim(), whole)));
        }
        if (p.contains("(") || p.contains(")") || p.contains(" ") || eq == 0) {
            throw bad(whole, "unexpected token in '" + p + "'");
        }
        return new Requirement(validKey(p, whole), Operator.EXISTS, List.of());
    }

    /** Splits at commas that are not inside parentheses. */
    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw bad(s, "unbalanced parentheses");
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static String validKey(String key, String whole) {
        if (!LabelRules.isQualifiedName(key)) {
            throw bad(whole, "invalid label key \"" + key + "\": " + LabelRules.QUALIFIED_NAME_MESSAGE);
        }
        return key;
    }

    private static String validValue(String value, String whole) {
        if (!LabelRules.isLabelValue(value)) {
            throw bad(whole, "invalid label value: \"" + value + "\": " + LabelRules.LABEL_VALUE_MESSAGE);
        }
        return value;
    }

    private static StatusException bad(String selector, String why) {
        return StatusException.badRequest("unable to parse requirement: " + why + " (in selector \"" + selector + "\")");
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
