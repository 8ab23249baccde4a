package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreTablesTest {

    @Test
    void serviceShowsTypeClusterIpExternalIpAndPorts() {
        assertThat(Objects.defaultHeaders(CoreTables.SERVICE)).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
        assertThat(Objects.headers(CoreTables.SERVICE)).endsWith("SELECTOR");
        assertThat(row(CoreTables.SERVICE, """
                metadata: {name: web, creationTimestamp: "%s"}
                spec:
                  type: ClusterIP
                  clusterIP: 10.96.0.10
                  clusterIPs: [10.96.0.10]
                  selector: {app: web}
                  ports: [{port: 80, protocol: TCP}, {port: 53, protocol: UDP}]
                """.formatted(ago("24h")))).containsExactly("web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "24h", "app=web");
    }

    @Test
    void serviceTypesChooseTheirExternalIp() {
        assertThat(row(CoreTables.SERVICE, """
                metadata: {name: np}
                spec: {type: NodePort, clusterIPs: [10.96.0.11], externalIPs: [1.2.3.4], ports: [{port: 80, nodePort: 30080, protocol: TCP}]}
                """).subList(1, 5)).containsExactly("NodePort", "10.96.0.11", "1.2.3.4", "80:30080/TCP");
        assertThat(row(CoreTables.SERVICE, "metadata: {name: lb}\nspec: {type: LoadBalancer, clusterIPs: [10.0.0.1]}").get(3))
                .isEqualTo("<pending>");
        assertThat(row(CoreTables.SERVICE, """
                metadata: {name: lb}
                spec: {type: LoadBalancer, externalIPs: [9.9.9.9]}
                status: {loadBalancer: {ingress: [{ip: 5.6.7.8}, {hostname: lb.example.com}, {ip: 1.1.1.1}]}}
                """).get(3)).isEqualTo("1.1.1.1,5.6.7.8,lb.example.com,9.9.9.9");
        assertThat(row(CoreTables.SERVICE, "metadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com}")
                .subList(1, 5)).containsExactly("ExternalName", "<none>", "db.example.com", "<none>");
        assertThat(row(CoreTables.SERVICE, "metadata: {name: h}\nspec: {type: ClusterIP, clusterIP: None, clusterIPs: [None]}").get(2))
                .isEqualTo("None");
    }

    @Test
    void endpointsListAddressPortPairsThenHowManyMore() {
        assertThat(row(CoreTables.ENDPOINTS, """
                metadata: {name: web}
                subsets:
                - addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}, {ip: "fd00::3"}]
                  ports: [{port: 80}, {port: 443}]
                """)).containsExactly("web", "10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...", "<unknown>");
        assertThat(row(CoreTables.ENDPOINTS, "metadata: {name: headless}\nsubsets: [{addresses: [{ip: 10.0.0.1}]}]").get(1))
                .isEqualTo("10.0.0.1");
        assertThat(row(CoreTables.ENDPOINTS, "metadata: {name: none}").get(1)).isEqualTo("<none>");
    }

    @Test
    void endpointSliceShowsAddressTypePortsAndEndpoints() {
        assertThat(Objects.headers(CoreTables.ENDPOINT_SLICE)).containsExactly("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE");
        assertThat(row(CoreTables.ENDPOINT_SLICE, """
                metadata: {name: web-abc}
                addressType: IPv4
                ports: [{name: http, port: 80}, {name: named}, {}]
                endpoints: [{addresses: [10.0.0.1]}, {addresses: [10.0.0.2, 10.0.0.3, 10.0.0.4]}]
                """)).containsExactly("web-abc", "IPv4", "80,named,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "<unknown>");
        assertThat(row(CoreTables.ENDPOINT_SLICE, "metadata: {name: e}\naddressType: IPv6").subList(2, 4))
                .containsExactly("<unset>", "<unset>");
    }

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

    @Test
    void persistentVolumeShowsCapacityModesPolicyClaimAndClass() {
        assertThat(Objects.defaultHeaders(CoreTables.PERSISTENT_VOLUME)).containsExactly("NAME", "CAPACITY", "ACCESS MODES",
                "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE");
        assertThat(row(CoreTables.PERSISTENT_VOLUME, """
                metadata: {name: pv1}
                spec:
                  capacity: {storage: 10Gi}
                  accessModes: [ReadWriteMany, ReadWriteOnce, ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Retain
                  storageClassName: local
                  volumeMode: Filesystem
                  claimRef: {namespace: default, name: data}
                status: {phase: Bound}
                """)).containsExactly("pv1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "local", "<unset>", "", "<unknown>",
                "Filesystem");
        assertThat(row(CoreTables.PERSISTENT_VOLUME, """
                metadata: {name: pv2, deletionTimestamp: "%s", annotations: {volume.beta.kubernetes.io/storage-class: old}}
                spec: {storageClassName: new}
                status: {phase: Released}
                """.formatted(ago("1s"))).subList(1, 11)).containsExactly("0", "", "", "Terminating", "", "old", "<unset>", "",
                "<unknown>", "<unset>");
    }

    @Test
    void persistentVolumeClaimShowsCapacityOnlyOnceBound() {
        assertThat(Objects.defaultHeaders(CoreTables.PERSISTENT_VOLUME_CLAIM)).containsExactly("NAME", "STATUS", "VOLUME", "CAPACITY",
                "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE");
        assertThat(row(CoreTables.PERSISTENT_VOLUME_CLAIM, """
                metadata: {name: data}
                spec: {storageClassName: local, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                status: {phase: Pending}
                """)).containsExactly("data", "Pending", "", "", "", "local", "<unset>", "<unknown>", "<unset>");
        assertThat(row(CoreTables.PERSISTENT_VOLUME_CLAIM, """
                metadata: {name: data}
                spec: {volumeName: pv1, volumeMode: Block, volumeAttributesClassName: gold}
                status: {phase: Bound, capacity: {storage: 5Gi}, accessModes: [ReadWriteOncePod]}
                """)).containsExactly("data", "Bound", "pv1", "5Gi", "RWOP", "", "gold", "<unknown>", "Block");
    }
}
