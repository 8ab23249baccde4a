package io.capstan.controllers.servicelb;

import static io.capstan.controllers.ServiceFixtures.node;
import static io.capstan.controllers.ServiceFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ServiceLbControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache services = new FakeCache();
    final FakeCache nodes = new FakeCache();
    final ServiceLbController controller = new ServiceLbController(api, services, nodes,
            new EventRecorder(api, "service-lb-controller", Clock.systemUTC()));

    private ObjectNode put(ObjectNode svc) {
        ObjectNode stored = api.seed(Kinds.SERVICES, svc);
        services.put(stored);
        return stored;
    }

    private ObjectNode reconciled() {
        controller.reconcile("default/web");
        ObjectNode svc = api.get(Kinds.SERVICES, "default", "web");
        services.put(svc);
        return svc;
    }

    @Test
    void loadBalancerServicesGetTheInternalIpsOfReadyNodes() {
        nodes.put(node("b", "10.0.0.2", true, null)).put(node("a", "10.0.0.1", true, null)).put(node("c", "10.0.0.3", false, null));
        put(service("web", "\"type\":\"LoadBalancer\",\"ports\":[{\"port\":80}]"));
        ObjectNode svc = reconciled();
        assertThat(svc.path("status").path("loadBalancer").path("ingress")).isEqualTo(Json.array()
                .add(Json.object().put("ip", "10.0.0.1").put("ipMode", "VIP")).add(Json.object().put("ip", "10.0.0.2").put("ipMode", "VIP")));
        api.actions().clear();
        reconciled();
        assertThat(api.actions()).filteredOn(a -> a.startsWith("patch services")).isEmpty();
    }

    @Test
    void otherTypesHaveTheirIngressCleared() {
        nodes.put(node("a", "10.0.0.1", true, null));
        ObjectNode svc = service("web", "\"type\":\"ClusterIP\",\"ports\":[{\"port\":80}]");
        Json.with(svc, "status", "loadBalancer").putArray("ingress").addObject().put("ip", "10.0.0.1");
        put(svc);
        assertThat(reconciled().path("status").path("loadBalancer").has("ingress")).isFalse();
    }

    @Test
    void servicesOfAnotherLoadBalancerClassAreNotOurs() {
        nodes.put(node("a", "10.0.0.1", true, null));
        put(service("web", "\"type\":\"LoadBalancer\",\"loadBalancerClass\":\"example.com/lb\",\"ports\":[{\"port\":80}]"));
        assertThat(reconciled().path("status").path("loadBalancer").has("ingress")).isFalse();
    }
}
