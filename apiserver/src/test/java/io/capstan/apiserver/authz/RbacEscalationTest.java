package io.capstan.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RbacEscalationTest {

    static final UserInfo BOB = new UserInfo("bob", List.of(UserInfo.AUTHENTICATED));

    final RbacPolicy policy = new RbacPolicy();
    final RbacAuthorizer authorizer = new RbacAuthorizer(policy);
    final RbacEscalation escalation = new RbacEscalation(authorizer, policy);

    @BeforeEach
    void bobAdministersTeam() {
        policy.putClusterRole("cluster-admin", List.of(PolicyRule.of(List.of("*"), List.of("*"), List.of("*")),
                PolicyRule.urls(List.of("*"), List.of("*"))));
        policy.putClusterRole("team-admin", List.of(
                PolicyRule.of(List.of("get", "list", "create"), List.of(""), List.of("pods")),
                PolicyRule.of(List.of("get", "list", "create", "update", "delete"), List.of("rbac.authorization.k8s.io"),
                        List.of("roles", "rolebindings"))));
        policy.putBinding(Binding.fromJson(RbacAuthorizerTest.binding("RoleBinding", "team", "bob", "ClusterRole", "team-admin", "User", "bob")));
    }

    static ObjectNode role(String name, PolicyRule... rules) {
        ObjectNode r = Json.object();
        r.putObject("metadata").put("name", name);
        var array = r.putArray("rules");
        for (PolicyRule rule : rules) {
            array.add(rule.toJson());
        }
        return r;
    }

    @Test
    void aRoleWithinTheWritersRulesIsAllowed() {
        assertThatCode(() -> escalation.check(BOB, "roles", "team",
                role("reader", PolicyRule.of(List.of("get", "list"), List.of(""), List.of("pods"))))).doesNotThrowAnyException();
    }

    @Test
    void aRoleBeyondTheWritersRulesIsRefusedNamingWhatIsMissing() {
        assertThatThrownBy(() -> escalation.check(BOB, "roles", "team",
                role("deleter", PolicyRule.of(List.of("get", "delete", "deletecollection"), List.of(""), List.of("pods", "secrets")))))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("roles.rbac.authorization.k8s.io \"deleter\" is forbidden: user \"bob\" "
                            + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\" \"deletecollection\"]}\n"
                            + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\" \"deletecollection\"]}");
                });
    }

    @Test
    void bindingClusterAdminIsRefusedWithKubernetesWords() {
        ObjectNode binding = RbacAuthorizerTest.binding("RoleBinding", "team", "root", "ClusterRole", "cluster-admin", "User", "bob");
        assertThatThrownBy(() -> escalation.check(BOB, "rolebindings", "team", binding))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "rolebindings.rbac.authorization.k8s.io \"root\" is forbidden: user \"bob\" (groups=[\"system:authenticated\"]) "
                                + "is attempting to grant RBAC permissions not currently held:\n"
                                + "{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}"));
    }

    @Test
    void bindingARoleTheWriterHoldsIsAllowed() {
        ObjectNode binding = RbacAuthorizerTest.binding("RoleBinding", "team", "b", "ClusterRole", "team-admin", "User", "carol");
        assertThatCode(() -> escalation.check(BOB, "rolebindings", "team", binding)).doesNotThrowAnyException();
    }

    @Test
    void theBindVerbOnTheRoleAllowsBindingIt() {
        policy.putClusterRole("binder", List.of(PolicyRule.of(List.of("bind"), List.of("rbac.authorization.k8s.io"), List.of("clusterroles"))
                .withNames("cluster-admin")));
        policy.putBinding(Binding.fromJson(RbacAuthorizerTest.binding("RoleBinding", "team", "bind", "ClusterRole", "binder", "User", "bob")));
        ObjectNode binding = RbacAuthorizerTest.binding("RoleBinding", "team", "root", "ClusterRole", "cluster-admin", "User", "bob");
        assertThatCode(() -> escalation.check(BOB, "rolebindings", "team", binding)).doesNotThrowAnyException();
    }

    @Test
    void theEscalateVerbAllowsAnyRule() {
        policy.putClusterRole("esc", List.of(PolicyRule.of(List.of("escalate"), List.of("rbac.authorization.k8s.io"), List.of("roles"))));
        policy.putBinding(Binding.fromJson(RbacAuthorizerTest.binding("RoleBinding", "team", "esc", "ClusterRole", "esc", "User", "bob")));
        assertThatCode(() -> escalation.check(BOB, "roles", "team",
                role("big", PolicyRule.of(List.of("*"), List.of("*"), List.of("*"))))).doesNotThrowAnyException();
    }

    @Test
    void bindingAMissingRoleIsForbidden() {
        ObjectNode binding = RbacAuthorizerTest.binding("RoleBinding", "team", "x", "Role", "ghost", "User", "bob");
        assertThatThrownBy(() -> escalation.check(BOB, "rolebindings", "team", binding)).hasMessage(
                "rolebindings.rbac.authorization.k8s.io \"x\" is forbidden: role.rbac.authorization.k8s.io \"ghost\" not found");
    }

    @Test
    void systemMastersIsNeverChecked() {
        assertThatCode(() -> escalation.check(UserInfo.ADMIN, "clusterroles", "",
                role("big", PolicyRule.of(List.of("*"), List.of("*"), List.of("*"))))).doesNotThrowAnyException();
    }

    @Test
    void starSubresourceAndNonResourceStarCover() {
        List<PolicyRule> owner = List.of(PolicyRule.of(List.of("get"), List.of(""), List.of("*/status")),
                PolicyRule.urls(List.of("get"), List.of("/apis/*")));
        assertThat(Covers.missing(owner, List.of(PolicyRule.of(List.of("get"), List.of(""), List.of("pods/status"))))).isEmpty();
        assertThat(Covers.missing(owner, List.of(PolicyRule.urls(List.of("get"), List.of("/apis/apps"))))).isEmpty();
        assertThat(Covers.missing(owner, List.of(PolicyRule.of(List.of("get"), List.of(""), List.of("pods"))))).hasSize(1);
    }
}
