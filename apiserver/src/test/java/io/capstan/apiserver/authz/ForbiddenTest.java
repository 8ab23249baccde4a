package io.capstan.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForbiddenTest {

    static final UserInfo ALICE = new UserInfo("alice", List.of(UserInfo.AUTHENTICATED));

    @Test
    void aNamespacedCollectionNamesTheNamespace() {
        StatusException e = Forbidden.of(Attributes.resource(ALICE, "list", "", "pods", "", "default", ""), "");
        assertThat(e.getMessage()).isEqualTo(
                "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.reason()).isEqualTo("Forbidden");
        assertThat(e.kind()).isEqualTo("pods");
        assertThat(e.name()).isNull();
    }

    @Test
    void aNamedObjectAtClusterScopeInAGroup() {
        StatusException e = Forbidden.of(Attributes.resource(ALICE, "delete", "rbac.authorization.k8s.io", "clusterroles", "", "", "admin"), "");
        assertThat(e.getMessage()).isEqualTo("clusterroles.rbac.authorization.k8s.io \"admin\" is forbidden: User \"alice\" cannot delete "
                + "resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope");
        assertThat(e.name()).isEqualTo("admin");
        assertThat(e.group()).isEqualTo("rbac.authorization.k8s.io");
    }

    @Test
    void aSubresourceIsNamedWithItsResource() {
        StatusException e = Forbidden.of(Attributes.resource(ALICE, "create", "", "pods", "exec", "team", "web"), "");
        assertThat(e.getMessage()).isEqualTo(
                "pods \"web\" is forbidden: User \"alice\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"team\"");
    }

    @Test
    void aNamespaceIsAskedForInsideItself() {
        var info = io.capstan.apiserver.http.RequestInfo.parse("GET", "/api/v1/namespaces/team", false);
        StatusException e = Forbidden.of(Attributes.of(ALICE, info, "GET", "/api/v1/namespaces/team"), "");
        assertThat(e.getMessage()).isEqualTo(
                "namespaces \"team\" is forbidden: User \"alice\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"team\"");
    }

    @Test
    void aPathAndAReason() {
        StatusException e = Forbidden.of(Attributes.nonResource(UserInfo.ANONYMOUS, "get", "/api"), "RBAC: x");
        assertThat(e.getMessage()).isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\": RBAC: x");
    }
}
