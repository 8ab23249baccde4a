package io.capstan.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.UserInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImpersonationTest {

    static final UserInfo ALICE = new UserInfo("alice", List.of(UserInfo.AUTHENTICATED));

    final RbacPolicy policy = new RbacPolicy();
    final Impersonation impersonation = new Impersonation(new RbacAuthorizer(policy));

    @Test
    void anAdminActsAsTheUserWithTheAuthenticatedGroupAdded() {
        UserInfo as = impersonation.actingAs(UserInfo.ADMIN, "bob", List.of("dev"), null, Map.of());
        assertThat(as.name()).isEqualTo("bob");
        assertThat(as.groups()).containsExactly("dev", UserInfo.AUTHENTICATED);
    }

    @Test
    void aServiceAccountGetsItsGroups() {
        UserInfo as = impersonation.actingAs(UserInfo.ADMIN, "system:serviceaccount:team:builder", List.of(), null, Map.of());
        assertThat(as.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:team", UserInfo.AUTHENTICATED);
    }

    @Test
    void withoutTheImpersonateVerbItIsForbidden() {
        assertThatThrownBy(() -> impersonation.actingAs(ALICE, "bob", List.of(), null, Map.of()))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource "
                            + "\"users\" in API group \"\" at the cluster scope");
                });
    }

    @Test
    void theImpersonateVerbOnUsersAndGroupsAllowsIt() {
        policy.putClusterRole("imp", List.of(PolicyRule.of(List.of("impersonate"), List.of(""), List.of("users", "groups"))));
        policy.putBinding(Binding.fromJson(RbacAuthorizerTest.binding("ClusterRoleBinding", "", "imp", "ClusterRole", "imp", "User", "alice")));
        assertThat(impersonation.actingAs(ALICE, "bob", List.of("ops"), null, Map.of()).groups()).contains("ops");
    }

    @Test
    void groupsWithoutAUserAreABadRequest() {
        assertThatThrownBy(() -> impersonation.actingAs(UserInfo.ADMIN, null, List.of("dev"), null, Map.of()))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
