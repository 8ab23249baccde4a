package io.capstan.api.table;

import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterTablesTest {

    @Test
    void bindingsShowRoleAndWideSubjects() {
        assertThat(Objects.defaultHeaders(ClusterTables.ROLE_BINDING)).containsExactly("NAME", "ROLE", "AGE");
        assertThat(Objects.headers(ClusterTables.CLUSTER_ROLE_BINDING)).endsWith("USERS", "GROUPS", "SERVICEACCOUNTS");
        assertThat(row(ClusterTables.ROLE_BINDING, """
                metadata: {name: read}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects:
                - {kind: User, name: alice}
                - {kind: User, name: bob}
                - {kind: Group, name: devs}
                - {kind: ServiceAccount, namespace: ci, name: runner}
                """)).containsExactly("read", "ClusterRole/view", "<unknown>", "alice, bob", "devs", "ci/runner");
    }

    @Test
    void leasePriorityClassAndRuntimeClassShowTheirKeyField() {
        assertThat(row(ClusterTables.LEASE, "metadata: {name: node-1}\nspec: {holderIdentity: node-1}"))
                .containsExactly("node-1", "node-1", "<unknown>");
        assertThat(row(ClusterTables.LEASE, "metadata: {name: free}\nspec: {}").get(1)).isEqualTo("");
        assertThat(Objects.headers(ClusterTables.PRIORITY_CLASS)).containsExactly("NAME", "VALUE", "GLOBAL-DEFAULT", "AGE",
                "PREEMPTIONPOLICY");
        assertThat(row(ClusterTables.PRIORITY_CLASS, "metadata: {name: high}\nvalue: 1000000\npreemptionPolicy: Never"))
                .containsExactly("high", 1000000L, false, "<unknown>", "Never");
        assertThat(row(ClusterTables.RUNTIME_CLASS, "metadata: {name: gvisor}\nhandler: runsc")).containsExactly("gvisor", "runsc", "<unknown>");
    }

    @Test
    void kindsWithoutPrintersShowNameAndCreatedAtAsKubeApiserverDoes() {
        TableConvertor created = CreatedAtTableConvertor.INSTANCE;
        assertThat(Objects.headers(created)).containsExactly("NAME", "CREATED AT");
        assertThat(created.columns().get(1).type()).isEqualTo("date");
        assertThat(row(created, "metadata: {name: admin, creationTimestamp: \"2026-01-02T03:04:05Z\"}"))
                .containsExactly("admin", "2026-01-02T03:04:05Z");
    }

}
