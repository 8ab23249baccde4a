package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkTablesTest {


    @Test
    void serviceShowsTypeClusterIpExternalIpAndPorts() {
        assertThat(Objects.defaultHeaders(NetworkTables.SERVICE)).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
        assertThat(Objects.headers(NetworkTables.SERVICE)).endsWith("SELECTOR");
        assertThat(row(NetworkTables.SERVICE, """
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
        assertThat(row(NetworkTables.SERVICE, """
                metadata: {name: np}
                spec: {type: NodePort, clusterIPs: [10.96.0.11], externalIPs: [1.2.3.4], ports: [{port: 80, nodePort: 30080, protocol: TCP}]}
                """).subList(1, 5)).containsExactly("NodePort", "10.96.0.11", "1.2.3.4", "80:30080/TCP");
        assertThat(row(NetworkTables.SERVICE, "metadata: {name: lb}\nspec: {type: LoadBalancer, clusterIPs: [10.0.0.1]}").get(3))
                .isEqualTo("<pending>");
        assertThat(row(NetworkTables.SERVICE, """
                metadata: {name: lb}
                spec: {type: LoadBalancer, externalIPs: [9.9.9.9]}
                status: {loadBalancer: {ingress: [{ip: 5.6.7.8}, {hostname: lb.example.com}, {ip: 1.1.1.1}]}}
                """).get(3)).isEqualTo("1.1.1.1,5.6.7.8,lb.example.com,9.9.9.9");
        assertThat(row(NetworkTables.SERVICE, "metadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com}")
                .subList(1, 5)).containsExactly("ExternalName", "<none>", "db.example.com", "<none>");
        assertThat(row(NetworkTables.SERVICE, "metadata: {name: h}\nspec: {type: ClusterIP, clusterIP: None, clusterIPs: [None]}").get(2))
                .isEqualTo("None");
    }

    @Test
    void endpointsListAddressPortPairsThenHowManyMore() {
        assertThat(row(NetworkTables.ENDPOINTS, """
                metadata: {name: web}
                subsets:
                - addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}, {ip: "fd00::3"}]
                  ports: [{port: 80}, {port: 443}]
                """)).containsExactly("web", "10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...", "<unknown>");
        assertThat(row(NetworkTables.ENDPOINTS, "metadata: {name: headless}\nsubsets: [{addresses: [{ip: 10.0.0.1}]}]").get(1))
                .isEqualTo("10.0.0.1");
        assertThat(row(NetworkTables.ENDPOINTS, "metadata: {name: none}").get(1)).isEqualTo("<none>");
    }

    @Test
    void endpointSliceShowsAddressTypePortsAndEndpoints() {
        assertThat(Objects.headers(NetworkTables.ENDPOINT_SLICE)).containsExactly("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE");
        assertThat(row(NetworkTables.ENDPOINT_SLICE, """
                metadata: {name: web-abc}
                addressType: IPv4
                ports: [{name: http, port: 80}, {name: named}, {}]
                endpoints: [{addresses: [10.0.0.1]}, {addresses: [10.0.0.2, 10.0.0.3, 10.0.0.4]}]
                """)).containsExactly("web-abc", "IPv4", "80,named,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "<unknown>");
        assertThat(row(NetworkTables.ENDPOINT_SLICE, "metadata: {name: e}\naddressType: IPv6").subList(2, 4))
                .containsExactly("<unset>", "<unset>");
    }


    @Test
    void ingressShowsClassHostsAddressAndPorts() {
        assertThat(Objects.headers(NetworkTables.INGRESS)).containsExactly("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE");
        assertThat(row(NetworkTables.INGRESS, """
                metadata: {name: web}
                spec:
                  ingressClassName: nginx
                  tls: [{hosts: [a.example.com]}]
                  rules: [{host: a.example.com}, {}, {host: b.example.com}, {host: c.example.com}, {host: d.example.com}]
                status: {loadBalancer: {ingress: [{ip: 10.0.0.9}]}}
                """)).containsExactly("web", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...", "10.0.0.9", "80, 443",
                "<unknown>");
        assertThat(row(NetworkTables.INGRESS, "metadata: {name: i}\nspec: {defaultBackend: {}}").subList(1, 5))
                .containsExactly("<none>", "*", "", "80");
    }

    @Test
    void ingressClassShowsControllerAndParameters() {
        assertThat(row(NetworkTables.INGRESS_CLASS, """
                metadata: {name: nginx}
                spec: {controller: k8s.io/ingress-nginx, parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: p}}
                """)).containsExactly("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "<unknown>");
        assertThat(row(NetworkTables.INGRESS_CLASS, "metadata: {name: x}\nspec: {controller: c}").get(2)).isEqualTo("<none>");
    }

    @Test
    void networkPolicyShowsItsPodSelector() {
        assertThat(Objects.headers(NetworkTables.NETWORK_POLICY)).containsExactly("NAME", "POD-SELECTOR", "AGE");
        assertThat(row(NetworkTables.NETWORK_POLICY, "metadata: {name: deny}\nspec: {podSelector: {}}").get(1)).isEqualTo("<none>");
        assertThat(row(NetworkTables.NETWORK_POLICY, "metadata: {name: web}\nspec: {podSelector: {matchLabels: {app: web}}}").get(1))
                .isEqualTo("app=web");
    }
}
