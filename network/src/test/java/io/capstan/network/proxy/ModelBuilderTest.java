package io.capstan.network.proxy;

import static io.capstan.network.proxy.Objects.service;
import static io.capstan.network.proxy.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelBuilderTest {

    private static ServicePort only(ProxyModel model) {
        assertThat(model.services()).hasSize(1);
        return model.services().values().iterator().next();
    }

    @Test
    void clusterTrafficGoesToReadyEndpointsOnly() {
        ProxyModel model = ModelBuilder.build(
                List.of(service("default", "web", "{'clusterIP':'10.43.0.5','ports':[{'name':'http','port':80,'protocol':'TCP'}]}")),
                List.of(slice("default", "web", "http", 8080, "TCP", "10.42.0.3", "10.42.0.2", "10.42.0.4 serving-terminating",
                        "10.42.0.5 notready")), "node-a");
        ServicePort port = only(model);
        assertThat(port.clusterIPs()).containsExactly("10.43.0.5");
        assertThat(model.clusterEndpoints(port)).extracting(Endpoint::address).containsExactly("10.42.0.2:8080", "10.42.0.3:8080");
    }

    @Test
    void servingTerminatingEndpointsAreUsedWhenNoneIsReady() {
        ProxyModel model = ModelBuilder.build(
                List.of(service("default", "web", "{'clusterIP':'10.43.0.5','ports':[{'port':80}]}")),
                List.of(slice("default", "web", "", 8080, "TCP", "10.42.0.4 serving-terminating", "10.42.0.5 notready",
                        "10.42.0.6 terminating")), "node-a");
        assertThat(model.clusterEndpoints(only(model))).extracting(Endpoint::ip).containsExactly("10.42.0.4");
    }

    @Test
    void localEndpointsAreThoseOnThisNode() {
        ProxyModel model = ModelBuilder.build(
                List.of(service("default", "web", "{'type':'NodePort','clusterIP':'10.43.0.5','externalTrafficPolicy':'Local',"
                        + "'ports':[{'port':80,'nodePort':30080}]}")),
                List.of(slice("default", "web", "", 8080, "TCP", "10.42.0.2@node-a", "10.42.0.3@node-b")), "node-a");
        ServicePort port = only(model);
        assertThat(port.nodePort()).isEqualTo(30080);
        assertThat(port.externalLocal()).isTrue();
        assertThat(model.localEndpoints(port)).extracting(Endpoint::ip).containsExactly("10.42.0.2");
        assertThat(model.clusterEndpoints(port)).hasSize(2);
    }

    @Test
    void slicePortsMatchServicePortsByNameAndProtocol() {
        ProxyModel model = ModelBuilder.build(
                List.of(service("ns", "dns", "{'clusterIP':'10.43.0.10','ports':[{'name':'dns','port':53,'protocol':'UDP'},"
                        + "{'name':'dns-tcp','port':53,'protocol':'TCP'}]}")),
                List.of(slice("ns", "dns", "dns", 5353, "UDP", "10.42.0.7"), slice("other", "dns", "dns", 9999, "UDP", "10.42.9.9")),
                "node-a");
        ServicePort udp = model.services().get("ns/dns:dns/UDP");
        ServicePort tcp = model.services().get("ns/dns:dns-tcp/TCP");
        assertThat(model.clusterEndpoints(udp)).extracting(Endpoint::address).containsExactly("10.42.0.7:5353");
        assertThat(model.clusterEndpoints(tcp)).isEmpty();
    }

    @Test
    void headlessAndExternalNameServicesAreSkipped() {
        ProxyModel model = ModelBuilder.build(List.of(
                service("default", "headless", "{'clusterIP':'None','ports':[{'port':80}]}"),
                service("default", "ext", "{'type':'ExternalName','externalName':'example.com'}")), List.of(), "node-a");
        assertThat(model.services()).isEmpty();
    }

    @Test
    void clientIpAffinityTakesItsTimeoutOrTheDefault() {
        ProxyModel model = ModelBuilder.build(List.of(
                service("default", "a", "{'clusterIP':'10.43.0.5','sessionAffinity':'ClientIP','ports':[{'port':80}]}"),
                service("default", "b", "{'clusterIP':'10.43.0.6','sessionAffinity':'ClientIP',"
                        + "'sessionAffinityConfig':{'clientIP':{'timeoutSeconds':60}},'ports':[{'port':80}]}"),
                service("default", "c", "{'clusterIP':'10.43.0.7','ports':[{'port':80}]}")), List.of(), "node-a");
        assertThat(model.services().values()).extracting(ServicePort::affinitySeconds).containsExactly(10800, 60, 0);
    }

    @Test
    void loadBalancersKeepTheirNodePortAndIngressIps() {
        var svc = service("default", "lb", "{'type':'LoadBalancer','clusterIP':'10.43.0.8','ports':[{'port':80,'nodePort':31000}]}");
        svc.set("status", Objects.json("{'loadBalancer':{'ingress':[{'ip':'192.0.2.10'}]}}"));
        ServicePort port = only(ModelBuilder.build(List.of(svc), List.of(), "node-a"));
        assertThat(port.loadBalancer()).isTrue();
        assertThat(port.nodePort()).isEqualTo(31000);
        assertThat(port.externalIPs()).containsExactly("192.0.2.10");
    }
}
