package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreTablesTest {

    @Test
    void nodeShowsReadinessRolesVersionAndWideSystemInfo() {
        assertThat(Objects.defaultHeaders(CoreTables.NODE)).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION");
        assertThat(Objects.headers(CoreTables.NODE)).endsWith("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION",
                "CONTAINER-RUNTIME");
        assertThat(row(CoreTables.NODE, """
                metadata:
                  name: n1
                  creationTimestamp: "%s"
                  labels: {node-role.kubernetes.io/control-plane: "", node-role.kubernetes.io/: "", kubernetes.io/role: worker}
                spec: {unschedulable: true}
                status:
                  conditions: [{type: MemoryPressure, status: "False"}, {type: Ready, status: "True"}]
                  addresses: [{type: Hostname, address: n1}, {type: InternalIP, address: 192.168.1.5}]
                  nodeInfo: {kubeletVersion: v1.32.0, osImage: Debian GNU/Linux 12 (bookworm), kernelVersion: 6.1.0,
                             containerRuntimeVersion: "capstan://0.1.0"}
                """.formatted(ago("72h")))).containsExactly("n1", "Ready,SchedulingDisabled", "control-plane,worker", "3d", "v1.32.0",
                "192.168.1.5", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "capstan://0.1.0");
        assertThat(row(CoreTables.NODE, "metadata: {name: n2}\nstatus: {conditions: [{type: Ready, status: Unknown}]}").subList(1, 3))
                .containsExactly("NotReady", "<none>");
        assertThat(row(CoreTables.NODE, "metadata: {name: n3}").subList(1, 10))
                .containsExactly("Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>");
    }

    @Test
    void namespaceConfigMapSecretAndServiceAccountShowTheirCounts() {
        assertThat(row(CoreTables.NAMESPACE, "metadata: {name: dev}\nstatus: {phase: Active}")).containsExactly("dev", "Active", "<unknown>");
        assertThat(Objects.headers(CoreTables.CONFIG_MAP)).containsExactly("NAME", "DATA", "AGE");
        assertThat(row(CoreTables.CONFIG_MAP, "metadata: {name: c}\ndata: {a: x, b: y}\nbinaryData: {c: eA==}"))
                .containsExactly("c", 3L, "<unknown>");
        assertThat(Objects.headers(CoreTables.SECRET)).containsExactly("NAME", "TYPE", "DATA", "AGE");
        assertThat(row(CoreTables.SECRET, "metadata: {name: s}\ntype: Opaque\ndata: {a: eA==}")).containsExactly("s", "Opaque", 1L, "<unknown>");
        assertThat(Objects.headers(CoreTables.SERVICE_ACCOUNT)).containsExactly("NAME", "SECRETS", "AGE");
        assertThat(row(CoreTables.SERVICE_ACCOUNT, "metadata: {name: default}")).containsExactly("default", 0L, "<unknown>");
    }

    @Test
    void resourceQuotaSplitsRequestsAndLimitsSortedByResource() {
        assertThat(Objects.headers(CoreTables.RESOURCE_QUOTA)).containsExactly("NAME", "REQUEST", "LIMIT", "AGE");
        assertThat(row(CoreTables.RESOURCE_QUOTA, """
                metadata: {name: q}
                status:
                  hard: {pods: "10", requests.cpu: "2", limits.memory: 2Gi, limits.cpu: "4"}
                  used: {pods: "3", requests.cpu: 500m}
                """)).containsExactly("q", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 0/4, limits.memory: 0/2Gi", "<unknown>");
    }
}
