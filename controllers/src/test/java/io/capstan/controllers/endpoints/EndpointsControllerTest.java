package io.capstan.controllers.endpoints;

import static io.capstan.controllers.ServiceFixtures.json;
import static io.capstan.controllers.ServiceFixtures.pod;
import static io.capstan.controllers.ServiceFixtures.service;
import static io.capstan.controllers.ServiceFixtures.terminating;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache services = new FakeCache();
    final FakeCache pods = new FakeCache();
    final FakeCache endpoints = new FakeCache();
    final EndpointsController controller = new EndpointsController(api, services, pods, endpoints,
            new EventRecorder(api, "endpoint-controller", Clock.systemUTC()));

    private ObjectNode reconcile(String name) {
        controller.reconcile("default/" + name);
        api.find(Kinds.ENDPOINTS, "default", name).ifPresentOrElse(endpoints::put,
                () -> endpoints.list().stream().filter(e -> Json.text(e, "metadata", "name").equals(name)).toList().forEach(endpoints::remove));
        return api.find(Kinds.ENDPOINTS, "default", name).orElse(null);
    }

    private static List<String> ips(JsonNode addresses) {
        List<String> ips = new ArrayList<>();
        addresses.forEach(a -> ips.add(a.path("ip").asText()));
        return ips;
    }

    @Test
    void readyPodsAreAddressesAndOthersNotReadyAddresses() {
        services.put(service("web", "\"ports\":[{\"name\":\"web\",\"port\":80,\"targetPort\":\"http\",\"protocol\":\"TCP\"}]"));
        pods.put(pod("a", "100.64.0.12", true, 8080)).put(pod("b", "100.64.0.3", false, 8080))
                .put(terminating(pod("c", "100.64.0.4", true, 8080)));

        ObjectNode ep = reconcile("web");

        assertThat(ep.path("metadata").path("labels").path("team").asText()).isEqualTo("a");
        assertThat(ep.path("subsets")).hasSize(1);
        JsonNode subset = ep.path("subsets").get(0);
        assertThat(ips(subset.path("addresses"))).containsExactly("100.64.0.12");
        assertThat(ips(subset.path("notReadyAddresses"))).as("terminating pods are left out").containsExactly("100.64.0.3");
        assertThat(subset.path("ports")).hasSize(1);
        assertThat(subset.path("ports").get(0)).isEqualTo(json("{\"name\":\"web\",\"port\":8080,\"protocol\":\"TCP\"}"));
        JsonNode address = subset.path("addresses").get(0);
        assertThat(address.path("nodeName").asText()).isEqualTo("sim-0");
        assertThat(address.path("targetRef").path("name").asText()).isEqualTo("a");
    }

    @Test
    void publishNotReadyAddressesListsEveryPodAsReadyTerminatingIncluded() {
        services.put(service("web", "\"publishNotReadyAddresses\":true,\"ports\":[{\"port\":80}]"));
        pods.put(pod("b", "100.64.0.3", false, 8080)).put(terminating(pod("c", "100.64.0.4", true, 8080)));
        ObjectNode ep = reconcile("web");
        assertThat(ips(ep.path("subsets").get(0).path("addresses"))).containsExactly("100.64.0.3", "100.64.0.4");
    }

    @Test
    void podsWithDifferentPortNumbersFormDifferentSubsets() {
        services.put(service("web", "\"ports\":[{\"port\":80,\"targetPort\":\"http\"}]"));
        pods.put(pod("a", "100.64.0.2", true, 8080)).put(pod("b", "100.64.0.3", true, 9090));
        ObjectNode ep = reconcile("web");
        assertThat(ep.path("subsets")).hasSize(2);
    }

    @Test
    void noPodsMeansNoSubsetsAndASettledObjectIsNotRewritten() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        ObjectNode ep = reconcile("web");
        assertThat(ep).isNotNull();
        assertThat(ep.has("subsets")).isFalse();
        api.actions().clear();
        reconcile("web");
        assertThat(api.actions()).isEmpty();
    }

    @Test
    void scalingUpUpdatesTheSameObject() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        pods.put(pod("a", "100.64.0.2", true, 8080));
        reconcile("web");
        pods.put(pod("b", "100.64.0.3", true, 8080));
        ObjectNode ep = reconcile("web");
        assertThat(ips(ep.path("subsets").get(0).path("addresses"))).containsExactly("100.64.0.2", "100.64.0.3");
        assertThat(api.actions()).contains("update endpoints default/web");
    }

    @Test
    void userManagedEndpointsOfSelectorlessServicesAreLeftAlone() {
        ObjectNode svc = service("manual", "\"ports\":[{\"port\":80}]");
        Json.with(svc, "spec").remove("selector");
        services.put(svc);
        ObjectNode mine = api.seed(Kinds.ENDPOINTS, json("{\"metadata\":{\"name\":\"manual\",\"namespace\":\"default\"},"
                + "\"subsets\":[{\"addresses\":[{\"ip\":\"192.0.2.1\"}],\"ports\":[{\"port\":80}]}]}"));
        endpoints.put(mine);
        api.actions().clear();
        reconcile("manual");
        assertThat(api.actions()).isEmpty();
    }

    @Test
    void endpointsGoWithTheirService() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        reconcile("web");
        services.remove(service("web", "\"ports\":[]"));
        assertThat(reconcile("web")).isNull();
    }

    @Test
    void headlessServicesWithoutPortsListAddressesWithoutPorts() {
        services.put(service("web", "\"clusterIP\":\"None\""));
        pods.put(pod("a", "100.64.0.2", true, 8080));
        ObjectNode ep = reconcile("web");
        assertThat(ep.path("metadata").path("labels").has("service.kubernetes.io/headless")).isTrue();
        assertThat(ips(ep.path("subsets").get(0).path("addresses"))).containsExactly("100.64.0.2");
        assertThat(ep.path("subsets").get(0).has("ports")).isFalse();
    }
}
