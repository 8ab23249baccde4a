package io.capstan.network.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressStatusTest {

    private static final IngressClasses CLASSES = IngressClasses.of(List.of(IngressClasses.defaultClass()));

    private final FakeApi api = new FakeApi();
    private final FakeCache cache = new FakeCache();
    private final IngressStatus status = new IngressStatus(api, NodeIngress.INGRESSES, cache, () -> CLASSES, List.of("10.0.0.2"));

    private ObjectNode ingress(String yaml) {
        ObjectNode ingress = api.seed(NodeIngress.INGRESSES, Yaml.object(yaml));
        cache.put(ingress);
        return ingress;
    }

    private String addresses(String name) {
        return api.get(NodeIngress.INGRESSES, "ns", name).at("/status/loadBalancer/ingress").toString();
    }

    @Test
    void servedIngressGetsThisNodesAddressBesideOtherNodes() {
        ingress("""
                metadata: {name: web, namespace: ns}
                spec: {ingressClassName: capstan}
                status: {loadBalancer: {ingress: [{ip: 10.0.0.9}]}}
                """);
        status.reconcile("ns/web");
        assertThat(addresses("web")).isEqualTo("[{\"ip\":\"10.0.0.2\"},{\"ip\":\"10.0.0.9\"}]");
    }

    @Test
    void ingressOfAnotherControllerLosesThisNodesAddress() {
        ingress("""
                metadata: {name: other, namespace: ns}
                spec: {ingressClassName: nginx}
                status: {loadBalancer: {ingress: [{ip: 10.0.0.2}, {hostname: lb.example.com}]}}
                """);
        status.reconcile("ns/other");
        assertThat(addresses("other")).isEqualTo("[{\"hostname\":\"lb.example.com\"}]");
    }

    @Test
    void nothingIsWrittenWhenTheStatusIsRightOrTheIngressGone() {
        ingress("""
                metadata: {name: web, namespace: ns}
                status: {loadBalancer: {ingress: [{ip: 10.0.0.2}]}}
                """);
        ingress("""
                metadata: {name: other, namespace: ns}
                spec: {ingressClassName: nginx}
                """);
        status.reconcile("ns/web");
        status.reconcile("ns/other");
        status.reconcile("ns/gone");
        assertThat(api.actions()).isEmpty();
    }
}
