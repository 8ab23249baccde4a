package io.capstan.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.apiserver.authz.Attributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit.k8s.io/v1 Policy: the level of a request is that of the first rule it matches, None when it matches none
 * (Kubernetes' policy checker). A rule matches when each of its lists that is set holds the request's value.
 */
public record AuditPolicy(List<Rule> rules) {

    /** One rule; empty lists match everything. */
    record Rule(AuditLevel level, List<String> users, List<String> userGroups, List<String> verbs, List<GroupResources> resources,
                List<String> namespaces, List<String> nonResourceURLs) {

        boolean matches(Attributes a) {
            if (!users.isEmpty() && (a.user() == null || !users.contains(a.user().name()))) {
                return false;
            }
            if (!userGroups.isEmpty() && (a.user() == null || a.user().groups().stream().noneMatch(userGroups::contains))) {
                return false;
            }
            if (!verbs.isEmpty() && !verbs.contains(a.verb())) {
                return false;
            }
            if (!resources.isEmpty() || !namespaces.isEmpty()) {
                return a.resourceRequest() && (namespaces.isEmpty() || namespaces.contains(a.namespace()))
                        && (resources.isEmpty() || resources.stream().anyMatch(r -> r.matches(a)));
            }
            if (!nonResourceURLs.isEmpty()) {
                return !a.resourceRequest() && nonResourceURLs.stream().anyMatch(u -> u.endsWith("*")
                        ? a.path().startsWith(u.substring(0, u.length() - 1)) : a.path().equals(u));
            }
            return true;
        }
    }

    /** Resources of one API group ("" is core): names as "pods", "pods/log", "*", "*\/scale" or "pods/*". */
    record GroupResources(String group, List<String> resources, List<String> resourceNames) {

        boolean matches(Attributes a) {
            if (!group.equals(a.group())) {
                return false;
            }
            if (resources.isEmpty()) {
                return true;
            }
            if (!resourceNames.isEmpty() && !resourceNames.contains(a.name())) {
                return false;
            }
            String combined = a.resourceAndSubresource();
            for (String r : resources) {
                if (r.equals("*") || r.equals(combined)
                        || (!a.subresource().isEmpty() && r.startsWith("*/") && r.substring(2).equals(a.subresource()))
                        || (r.endsWith("/*") && r.substring(0, r.length() - 2).equals(a.resource()))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The level for a request. */
    public AuditLevel level(Attributes attributes) {
        for (Rule r : rules) {
            if (r.matches(attributes)) {
                return r.level();
            }
        }
        return AuditLevel.None;
    }

    /** Reads a Policy from a YAML or JSON file. */
    public static AuditPolicy read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static AuditPolicy parse(String yaml) throws IOException {
        JsonNode doc = Json.YAML.readTree(yaml);
        if (doc == null || !"Policy".equals(doc.path("kind").asText())) {
            throw new IOException("an audit policy must be of kind Policy (audit.k8s.io/v1)");
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : doc.path("rules")) {
            List<GroupResources> resources = new ArrayList<>();
            for (JsonNode g : r.path("resources")) {
                resources.add(new GroupResources(g.path("group").asText(""), strings(g.path("resources")), strings(g.path("resourceNames"))));
            }
            Rule rule = new Rule(AuditLevel.parse(r.path("level").asText()), strings(r.path("users")), strings(r.path("userGroups")),
                    strings(r.path("verbs")), resources, strings(r.path("namespaces")), strings(r.path("nonResourceURLs")));
            if (!rule.nonResourceURLs().isEmpty() && (!rule.resources().isEmpty() || !rule.namespaces().isEmpty())) {
                throw new IOException("an audit rule may not have both nonResourceURLs and resources or namespaces");
            }
            rules.add(rule);
        }
        return new AuditPolicy(List.copyOf(rules));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
