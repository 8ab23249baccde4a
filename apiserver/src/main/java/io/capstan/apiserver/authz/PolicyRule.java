package io.capstan.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule of a Role or ClusterRole, matched as Kubernetes' rbac.RuleAllows does: "*" matches any
 * verb, group or resource; "*&#47;sub" any resource's subresource; empty resourceNames any name;
 * a non-resource URL ending in "*" every path it prefixes.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
                         List<String> nonResourceURLs) {

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    /** A resource rule. */
    public static PolicyRule of(List<String> verbs, List<String> groups, List<String> resources) {
        return new PolicyRule(verbs, groups, resources, List.of(), List.of());
    }

    /** A non-resource rule. */
    public static PolicyRule urls(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    /** The same rule limited to the named objects. */
    public PolicyRule withNames(String... names) {
        return new PolicyRule(verbs, apiGroups, resources, List.of(names), nonResourceURLs);
    }

    public boolean allows(Attributes a) {
        if (!contains(verbs, a.verb())) {
            return false;
        }
        if (!a.resourceRequest()) {
            return urlMatches(a.path());
        }
        return contains(apiGroups, a.group()) && resourceMatches(a.resourceAndSubresource(), a.subresource())
                && (resourceNames.isEmpty() || resourceNames.contains(a.name()));
    }

    private static boolean contains(List<String> values, String wanted) {
        for (String v : values) {
            if (v.equals("*") || v.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private boolean resourceMatches(String combined, String subresource) {
        for (String r : resources) {
            if (r.equals("*") || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.length() == subresource.length() + 2 && r.startsWith("*/") && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    private boolean urlMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals("*") || u.equals(path)) {
                return true;
            }
            if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    public static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")), strings(rule.path("resources")),
                strings(rule.path("resourceNames")), strings(rule.path("nonResourceURLs")));
    }

    /** The rules of a Role or ClusterRole object. */
    public static List<PolicyRule> listFromJson(JsonNode rules) {
        List<PolicyRule> out = new ArrayList<>();
        for (JsonNode r : rules) {
            out.add(fromJson(r));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    /** The rule as stored, empty lists left out as Go's omitempty does. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        put(o, "verbs", verbs, true);
        put(o, "apiGroups", apiGroups, false);
        put(o, "resources", resources, false);
        put(o, "resourceNames", resourceNames, false);
        put(o, "nonResourceURLs", nonResourceURLs, false);
        return o;
    }

    private static void put(ObjectNode o, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) {
            return;
        }
        ArrayNode a = o.putArray(field);
        values.forEach(a::add);
    }

    /** Kubernetes' rbacv1helpers.CompactString, used in escalation messages: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
    public String compactString() {
        List<String> parts = new ArrayList<>();
        if (!apiGroups.isEmpty()) {
            parts.add("APIGroups:" + quoted(apiGroups));
        }
        if (!resources.isEmpty()) {
            parts.add("Resources:" + quoted(resources));
        }
        if (!nonResourceURLs.isEmpty()) {
            parts.add("NonResourceURLs:" + quoted(nonResourceURLs));
        }
        if (!resourceNames.isEmpty()) {
            parts.add("ResourceNames:" + quoted(resourceNames));
        }
        if (!verbs.isEmpty()) {
            parts.add("Verbs:" + quoted(verbs));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** A string list as Go's %q prints a []string: ["a" "b"]. */
    public static String quoted(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append(']').toString();
    }
}
