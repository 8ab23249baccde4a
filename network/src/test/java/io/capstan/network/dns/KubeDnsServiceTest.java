package io.capstan.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class KubeDnsServiceTest {

    private static final InetSocketAddress DNS = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.2"), 53);

    @Test
    void publishesTheServiceWithItsEndpointSliceAndEndpoints() {
        FakeApi api = new FakeApi();

        KubeDnsService.publish(api, "10.43.0.10", DNS, "node-1");

        ObjectNode service = api.get(Kinds.SERVICES, "kube-system", "kube-dns");
        assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("10.43.0.10");
        assertThat(service.at("/metadata/labels/k8s-app").asText()).isEqualTo("kube-dns");
        assertThat(service.at("/spec/selector").isMissingNode()).isTrue();
        assertThat(service.at("/spec/ports")).extracting(p -> p.path("name").asText() + " " + p.path("port").asInt() + "/"
                + p.path("protocol").asText()).containsExactly("dns 53/UDP", "dns-tcp 53/TCP");
        ObjectNode slice = api.get(io.capstan.api.Kinds.ENDPOINT_SLICES, "kube-system", "kube-dns-capstan");
        assertThat(slice.at("/metadata/labels/kubernetes.io~1service-name").asText()).isEqualTo("kube-dns");
        assertThat(slice.at("/endpoints/0/addresses/0").asText()).isEqualTo("192.0.2.2");
        assertThat(slice.at("/endpoints/0/nodeName").asText()).isEqualTo("node-1");
        assertThat(api.actions()).containsExactly("create services kube-system/kube-dns",
                "create endpointslices kube-system/kube-dns-capstan", "create endpoints kube-system/kube-dns");
    }

    @Test
    void aRestartOnAnotherPortMovesTheEndpointsAndTargetPortButKeepsTheClusterIp() {
        FakeApi api = new FakeApi();
        KubeDnsService.publish(api, "10.43.0.10", DNS, "node-1");

        KubeDnsService.publish(api, "10.43.0.99", new InetSocketAddress(DNS.getAddress(), 40053), "node-1");

        ObjectNode service = api.get(Kinds.SERVICES, "kube-system", "kube-dns");
        assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("10.43.0.10");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(53);
        assertThat(service.at("/spec/ports/0/targetPort").asInt()).isEqualTo(40053);
        assertThat(api.get(io.capstan.api.Kinds.ENDPOINT_SLICES, "kube-system", "kube-dns-capstan").at("/ports/0/port").asInt()).isEqualTo(40053);
        assertThat(api.actions()).contains("update services kube-system/kube-dns", "update endpointslices kube-system/kube-dns-capstan",
                "update endpoints kube-system/kube-dns");
    }
}
