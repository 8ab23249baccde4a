package io.capstan.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.endpoints.WriteGuard;
import io.capstan.apiserver.http.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Escalation prevention, as Kubernetes' RBAC storage does it: a Role or ClusterRole may only hold
 * rules its writer holds (or the writer has `escalate` on it); a binding may only grant a role whose
 * rules the writer holds (or the writer has `bind` on that role). system:masters may do either.
 */
public final class RbacEscalation implements WriteGuard {

    static final String GROUP = "rbac.authorization.k8s.io";
    /** What an aggregationRule may gather: anything, so setting one needs everything. */
    private static final List<PolicyRule> EVERYTHING = List.of(
            PolicyRule.of(List.of("*"), List.of("*"), List.of("*")), PolicyRule.urls(List.of("*"), List.of("*")));

    private final Authorizer authorizer;
    private final RbacPolicy policy;

    public RbacEscalation(Authorizer authorizer, RbacPolicy policy) {
        this.authorizer = authorizer;
        this.policy = policy;
    }

    @Override
    public void check(Exchange exchange, ResourceType type, String namespace, ObjectNode obj) {
        if (!type.group().equals(GROUP)) {
            return;
        }
        check(exchange.user(), type.plural(), namespace == null ? "" : namespace, obj);
    }

    void check(UserInfo user, String resource, String namespace, ObjectNode obj) {
        if (user == null || user.groups().contains(RbacAuthorizer.MASTERS)) {
            return;
        }
        String name = Json.text(obj, "metadata", "name");
        name = name == null ? "" : name;
        switch (resource) {
            case "roles", "clusterroles" -> {
                if (allowed(user, "escalate", resource, namespace, name)) {
                    return;
                }
                List<PolicyRule> rules = new ArrayList<>(PolicyRule.listFromJson(obj.path("rules")));
                JsonNode aggregation = obj.path("aggregationRule");
                if (resource.equals("clusterroles") && aggregation.path("clusterRoleSelectors").size() > 0) {
                    rules.addAll(EVERYTHING);
                }
                confirmNoEscalation(user, namespace, rules, resource, name);
            }
            case "rolebindings", "clusterrolebindings" -> {
                JsonNode ref = obj.path("roleRef");
                String kind = ref.path("kind").asText("");
                String roleName = ref.path("name").asText("");
                String roleResource = kind.equals("Role") ? "roles" : "clusterroles";
                if (allowed(user, "bind", roleResource, namespace, roleName, ref.path("apiGroup").asText(""))) {
                    return;
                }
                List<PolicyRule> rules = policy.roleRules(kind, namespace, roleName);
                if (rules == null) {
                    throw Forbidden.error(GROUP, resource, name, RbacPolicy.notFound(kind, roleName));
                }
                confirmNoEscalation(user, namespace, rules, resource, name);
            }
            default -> { }
        }
    }

    private boolean allowed(UserInfo user, String verb, String resource, String namespace, String name) {
        return allowed(user, verb, resource, namespace, name, GROUP);
    }

    private boolean allowed(UserInfo user, String verb, String resource, String namespace, String name, String group) {
        return authorizer.authorize(Attributes.resource(user, verb, group, resource, "", namespace, name)).allowed();
    }

    private void confirmNoEscalation(UserInfo user, String namespace, List<PolicyRule> rules, String resource, String name) {
        RbacPolicy.Resolution owner = policy.rulesFor(user, namespace);
        List<PolicyRule> missing = Covers.missing(owner.rules(), rules);
        if (missing.isEmpty()) {
            return;
        }
        TreeSet<String> descriptions = new TreeSet<>();
        for (PolicyRule r : Covers.compact(missing)) {
            descriptions.add(r.compactString());
        }
        String message = "user \"" + user.name() + "\" (groups=" + PolicyRule.quoted(user.groups())
                + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions);
        if (!owner.errors().isEmpty()) {
            message += "; resolution errors: [" + String.join(" ", owner.errors()) + "]";
        }
        throw Forbidden.error(GROUP, resource, name, message);
    }
}
