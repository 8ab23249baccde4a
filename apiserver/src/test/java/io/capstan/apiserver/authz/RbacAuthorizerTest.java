package io.capstan.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {

    static final UserInfo ALICE = new UserInfo("alice", List.of("dev", UserInfo.AUTHENTICATED));

    final RbacPolicy policy = new RbacPolicy();
    final RbacAuthorizer authorizer = new RbacAuthorizer(policy);

    static ObjectNode binding(String kind, String namespace, String name, String roleKind, String role, String... subjects) {
        ObjectNode b = Json.object().put("kind", kind);
        ObjectNode meta = b.putObject("metadata").put("name", name);
        if (!namespace.isEmpty()) {
            meta.put("namespace", namespace);
        }
        b.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", roleKind).put("name", role);
        var array = b.putArray("subjects");
        for (int i = 0; i < subjects.length; i += 2) {
            var s = array.addObject().put("kind", subjects[i]).put("name", subjects[i + 1]);
            if (subjects[i].equals("ServiceAccount")) {
                s.put("namespace", "");
            }
        }
        return b;
    }

    static Attributes resource(UserInfo user, String verb, String group, String resource, String sub, String ns, String name) {
        return Attributes.resource(user, verb, group, resource, sub, ns, name);
    }

    @Test
    void aRoleBindingGrantsItsRulesOnlyInItsNamespace() {
        policy.putClusterRole("view", List.of(PolicyRule.of(List.of("get", "list", "watch"), List.of(""), List.of("pods"))));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "alice-view", "ClusterRole", "view", "User", "alice")));

        assertThat(authorizer.authorize(resource(ALICE, "list", "", "pods", "", "team", "")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "delete", "", "pods", "", "team", "web")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "list", "", "pods", "", "other", "")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "list", "", "pods", "", "", "")).allowed()).isFalse();
    }

    @Test
    void aClusterRoleBindingToAGroupGrantsEverywhere() {
        policy.putClusterRole("reader", List.of(PolicyRule.of(List.of("get"), List.of("apps"), List.of("deployments"))));
        policy.putBinding(Binding.fromJson(binding("ClusterRoleBinding", "", "devs", "ClusterRole", "reader", "Group", "dev")));

        assertThat(authorizer.authorize(resource(ALICE, "get", "apps", "deployments", "", "a", "x")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "get", "", "deployments", "", "a", "x")).allowed()).isFalse();
    }

    @Test
    void subresourcesNeedTheirOwnRuleOrAStarSubresource() {
        policy.putRole("team", "logs", List.of(PolicyRule.of(List.of("get"), List.of(""), List.of("pods/log"))));
        policy.putRole("team", "status", List.of(PolicyRule.of(List.of("get"), List.of(""), List.of("*/status"))));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "a", "Role", "logs", "User", "alice")));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "b", "Role", "status", "User", "alice")));

        assertThat(authorizer.authorize(resource(ALICE, "get", "", "pods", "log", "team", "web")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "get", "", "pods", "", "team", "web")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "get", "", "pods", "exec", "team", "web")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "get", "apps", "deployments", "status", "team", "d")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "get", "", "services", "status", "team", "s")).allowed()).isTrue();
    }

    @Test
    void resourceNamesLimitTheRuleToThoseObjects() {
        policy.putRole("team", "one", List.of(PolicyRule.of(List.of("get", "update"), List.of(""), List.of("configmaps")).withNames("settings")));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "a", "Role", "one", "User", "alice")));

        assertThat(authorizer.authorize(resource(ALICE, "get", "", "configmaps", "", "team", "settings")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "get", "", "configmaps", "", "team", "other")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "list", "", "configmaps", "", "team", "")).allowed()).isFalse();
    }

    @Test
    void starsMatchAnyVerbGroupAndResource() {
        policy.putClusterRole("all", List.of(PolicyRule.of(List.of("*"), List.of("*"), List.of("*"))));
        policy.putBinding(Binding.fromJson(binding("ClusterRoleBinding", "", "a", "ClusterRole", "all", "User", "alice")));

        assertThat(authorizer.authorize(resource(ALICE, "deletecollection", "stable.example.com", "crontabs", "", "x", "")).allowed()).isTrue();
        assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/metrics")).allowed()).isFalse();
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByTrailingStar() {
        policy.putClusterRole("d", List.of(PolicyRule.urls(List.of("get"), List.of("/api", "/apis/*", "/version"))));
        policy.putBinding(Binding.fromJson(binding("ClusterRoleBinding", "", "d", "ClusterRole", "d", "Group", UserInfo.AUTHENTICATED)));

        assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/api")).allowed()).isTrue();
        assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/apis/apps/v1")).allowed()).isTrue();
        assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "get", "/api/v1")).allowed()).isFalse();
        assertThat(authorizer.authorize(Attributes.nonResource(ALICE, "post", "/api")).allowed()).isFalse();
    }

    @Test
    void serviceAccountSubjectsMatchTheirUserName() {
        policy.putClusterRole("view", List.of(PolicyRule.of(List.of("list"), List.of(""), List.of("pods"))));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "sa", "ClusterRole", "view", "ServiceAccount", "builder")));
        UserInfo sa = new UserInfo("system:serviceaccount:team:builder", List.of("system:serviceaccounts", UserInfo.AUTHENTICATED));

        assertThat(authorizer.authorize(resource(sa, "list", "", "pods", "", "team", "")).allowed()).isTrue();
    }

    @Test
    void systemMastersMayDoAnythingWithoutAnyBinding() {
        assertThat(authorizer.authorize(resource(UserInfo.ADMIN, "delete", "", "nodes", "", "", "n1")).allowed()).isTrue();
        assertThat(authorizer.authorize(Attributes.nonResource(UserInfo.ADMIN, "get", "/anything")).allowed()).isTrue();
    }

    @Test
    void aBindingToAMissingRoleIsNamedInTheReason() {
        policy.putBinding(Binding.fromJson(binding("ClusterRoleBinding", "", "x", "ClusterRole", "ghost", "User", "alice")));

        Decision d = authorizer.authorize(resource(ALICE, "get", "", "pods", "", "team", "p"));

        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"ghost\" not found");
    }

    @Test
    void removedAndReplacedBindingsStopGranting() {
        policy.putClusterRole("view", List.of(PolicyRule.of(List.of("list"), List.of(""), List.of("pods"))));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "b", "ClusterRole", "view", "User", "alice")));
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "b", "ClusterRole", "view", "User", "bob")));
        assertThat(authorizer.authorize(resource(ALICE, "list", "", "pods", "", "team", "")).allowed()).isFalse();

        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "b", "ClusterRole", "view", "User", "alice")));
        policy.removeBinding("team", "b");
        assertThat(authorizer.authorize(resource(ALICE, "list", "", "pods", "", "team", "")).allowed()).isFalse();
    }

    @Test
    void theBootstrapViewRoleAfterAggregationReadsButDoesNotWrite() {
        List<ObjectNode> roles = BootstrapPolicy.clusterRoles();
        for (ObjectNode role : roles) {
            var rules = io.capstan.api.AggregatedRules.isAggregated(role) ? io.capstan.api.AggregatedRules.of(role, roles) : role.path("rules");
            policy.putClusterRole(role.path("metadata").path("name").asText(), PolicyRule.listFromJson(rules));
        }
        policy.putBinding(Binding.fromJson(binding("RoleBinding", "team", "v", "ClusterRole", "view", "User", "alice")));

        assertThat(authorizer.authorize(resource(ALICE, "list", "", "pods", "", "team", "")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "get", "apps", "deployments", "", "team", "d")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "delete", "", "pods", "", "team", "p")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ALICE, "get", "", "secrets", "", "team", "s")).allowed()).isFalse();
    }

    @Test
    void aNodeAgentMayWatchNetworkPoliciesAndNamespacesButNotChangeThem() {
        for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
            policy.putClusterRole(role.path("metadata").path("name").asText(), PolicyRule.listFromJson(role.path("rules")));
        }
        BootstrapPolicy.clusterRoleBindings().forEach(b -> policy.putBinding(Binding.fromJson(b)));
        UserInfo node = new UserInfo("system:capstan-node", List.of("system:nodes", UserInfo.AUTHENTICATED));

        assertThat(authorizer.authorize(resource(node, "watch", "networking.k8s.io", "networkpolicies", "", "", "")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(node, "list", "", "namespaces", "", "", "")).allowed()).isTrue();
        assertThat(authorizer.authorize(resource(node, "delete", "networking.k8s.io", "networkpolicies", "", "a", "p")).allowed()).isFalse();
    }
}
