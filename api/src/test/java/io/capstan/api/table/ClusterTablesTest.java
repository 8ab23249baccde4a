package io.capstan.api.table;

import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterTablesTest {

    @Test
    void ingressShowsClassHostsAddressAndPorts() {
        assertThat(Objects.headers(ClusterTables.INGRESS)).containsExactly("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE");
        assertThat(row(ClusterTables.INGRESS, """
                metadata: {name: web}
                spec:
                  ingressClassName: nginx
                  tls: [{hosts: [a.example.com]}]
                  rules: [{host: a.example.com}, {}, {host: b.example.com}, {host: c.example.com}, {host: d.example.com}]
                status: {loadBalancer: {ingress: [{ip: 10.0.0.9}]}}
                """)).containsExactly("web", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...", "10.0.0.9", "80, 443",
                "<unknown>");
        assertThat(row(ClusterTables.INGRESS, "metadata: {name: i}\nspec: {defaultBackend: {}}").subList(1, 5))
                .containsExactly("<none>", "*", "", "80");
    }

    @Test
    void ingressClassShowsControllerAndParameters() {
        assertThat(row(ClusterTables.INGRESS_CLASS, """
                metadata: {name: nginx}
                spec: {controller: k8s.io/ingress-nginx, parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: p}}
                """)).containsExactly("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "<unknown>");
        assertThat(row(ClusterTables.INGRESS_CLASS, "metadata: {name: x}\nspec: {controller: c}").get(2)).isEqualTo("<none>");
    }

    @Test
    void networkPolicyShowsItsPodSelector() {
        assertThat(Objects.headers(ClusterTables.NETWORK_POLICY)).containsExactly("NAME", "POD-SELECTOR", "AGE");
        assertThat(row(ClusterTables.NETWORK_POLICY, "metadata: {name: deny}\nspec: {podSelector: {}}").get(1)).isEqualTo("<none>");
        assertThat(row(ClusterTables.NETWORK_POLICY, "metadata: {name: web}\nspec: {podSelector: {matchLabels: {app: web}}}").get(1))
                .isEqualTo("app=web");
    }

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
    void storageClassMarksTheDefaultAndFillsKubernetesDefaults() {
        assertThat(Objects.headers(ClusterTables.STORAGE_CLASS)).containsExactly("NAME", "PROVISIONER", "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE");
        assertThat(row(ClusterTables.STORAGE_CLASS, """
                metadata: {name: local, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
                provisioner: capstan.io/local-path
                volumeBindingMode: WaitForFirstConsumer
                allowVolumeExpansion: true
                """)).containsExactly("local (default)", "capstan.io/local-path", "Delete", "WaitForFirstConsumer", true, "<unknown>");
        assertThat(row(ClusterTables.STORAGE_CLASS, "metadata: {name: slow}\nprovisioner: p\nreclaimPolicy: Retain").subList(0, 5))
                .containsExactly("slow", "p", "Retain", "Immediate", false);
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
