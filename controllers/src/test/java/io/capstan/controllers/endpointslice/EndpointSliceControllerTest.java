package io.capstan.controllers.endpointslice;

import static io.capstan.controllers.ServiceFixtures.node;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache services = new FakeCache();
    final FakeCache pods = new FakeCache();
    FakeCache slices = new FakeCache();
    final FakeCache nodes = new FakeCache();
    final EndpointSliceController controller = new EndpointSliceController(api, services, pods, slices, nodes,
            new EventRecorder(api, "endpoint-slice-controller", Clock.systemUTC()));

    private List<ObjectNode> stored() {
        List<ObjectNode> list = new ArrayList<>();
        api.listAll(Kinds.ENDPOINT_SLICES, "default", Map.of()).items().forEach(o -> list.add((ObjectNode) o));
        return list;
    }

    /** The informer catches up with what the API holds. */
    private void sync() {
        slices.list().forEach(slices::remove);
        stored().forEach(slices::put);
    }

    private void reconcile() {
        controller.reconcile("default/web");
        sync();
    }

    private static List<String> addresses(ObjectNode slice) {
        List<String> ips = new ArrayList<>();
        slice.path("endpoints").forEach(e -> ips.add(e.path("addresses").get(0).asText()));
        return ips;
    }

    @Test
    void readyAndNotReadyPodsBecomeEndpointsWithConditionsAndOwner() {
        services.put(service("web", "\"clusterIP\":\"10.43.0.9\",\"ports\":[{\"name\":\"web\",\"port\":80,\"targetPort\":\"http\",\"protocol\":\"TCP\"}]"));
        nodes.put(node("sim-0", "10.0.0.1", true, "zone-a"));
        pods.put(pod("a", "100.64.0.2", true, 8080)).put(pod("b", "100.64.0.3", false, 8080))
                .put(terminating(pod("c", "100.64.0.4", true, 8080)));

        reconcile();

        assertThat(stored()).hasSize(1);
        ObjectNode slice = stored().getFirst();
        assertThat(Json.text(slice, "metadata", "generateName")).isEqualTo("web-");
        assertThat(slice.path("metadata").path("labels")).isEqualTo(ServiceFixturesJson.labels(
                "team", "a", "kubernetes.io/service-name", "web", "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"));
        JsonNode owner = slice.path("metadata").path("ownerReferences").get(0);
        assertThat(owner.path("kind").asText()).isEqualTo("Service");
        assertThat(owner.path("uid").asText()).isEqualTo("svc-web");
        assertThat(owner.path("controller").asBoolean()).isTrue();
        assertThat(Json.text(slice, "addressType")).isEqualTo("IPv4");
        assertThat(slice.path("ports").get(0)).isEqualTo(ServiceFixturesJson.port("web", 8080));
        assertThat(addresses(slice)).containsExactly("100.64.0.2", "100.64.0.3", "100.64.0.4");
        assertThat(conditions(slice.path("endpoints").get(0))).isEqualTo("ready=true serving=true terminating=false");
        assertThat(conditions(slice.path("endpoints").get(1))).isEqualTo("ready=false serving=false terminating=false");
        assertThat(conditions(slice.path("endpoints").get(2))).as("terminating pods stay, not ready")
                .isEqualTo("ready=false serving=true terminating=true");
        JsonNode first = slice.path("endpoints").get(0);
        assertThat(first.path("nodeName").asText()).isEqualTo("sim-0");
        assertThat(first.path("zone").asText()).isEqualTo("zone-a");
        assertThat(first.path("targetRef").path("name").asText()).isEqualTo("a");
        assertThat(first.path("targetRef").path("kind").asText()).isEqualTo("Pod");
    }

    private static String conditions(JsonNode endpoint) {
        JsonNode c = endpoint.path("conditions");
        return "ready=" + c.path("ready").asBoolean() + " serving=" + c.path("serving").asBoolean() + " terminating="
                + c.path("terminating").asBoolean();
    }

    @Test
    void publishNotReadyAddressesMakesEveryEndpointReady() {
        services.put(service("web", "\"publishNotReadyAddresses\":true,\"ports\":[{\"port\":80}]"));
        pods.put(pod("b", "100.64.0.3", false, 8080));
        reconcile();
        assertThat(conditions(stored().getFirst().path("endpoints").get(0))).isEqualTo("ready=true serving=true terminating=false");
    }

    @Test
    void podsResolvingANamedPortDifferentlyGoToDifferentSlices() {
        services.put(service("web", "\"ports\":[{\"port\":80,\"targetPort\":\"http\"}]"));
        pods.put(pod("a", "100.64.0.2", true, 8080)).put(pod("b", "100.64.0.3", true, 9090)).put(pod("c", "100.64.0.4", true, 8080));
        reconcile();
        assertThat(stored()).hasSize(2);
        Map<Integer, List<String>> byPort = new java.util.TreeMap<>();
        stored().forEach(s -> byPort.put(s.path("ports").get(0).path("port").asInt(), addresses(s)));
        assertThat(byPort).containsEntry(8080, List.of("100.64.0.2", "100.64.0.4")).containsEntry(9090, List.of("100.64.0.3"));
    }

    @Test
    void aSliceHoldsAtMostOneHundredEndpoints() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        for (int i = 0; i < 150; i++) {
            pods.put(pod(String.format("p%03d", i), "100.64." + (i / 200) + "." + (i % 200 + 2), true, 8080));
        }
        reconcile();
        assertThat(stored()).extracting(s -> s.path("endpoints").size()).containsExactlyInAnyOrder(100, 50);
    }

    @Test
    void scalingDownKeepsTheSliceAndNoPodsLeaveAPlaceholder() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        ObjectNode a = pod("a", "100.64.0.2", true, 8080);
        pods.put(a).put(pod("b", "100.64.0.3", true, 8080));
        reconcile();
        String name = Json.text(stored().getFirst(), "metadata", "name");
        pods.remove(a);
        reconcile();
        assertThat(stored()).hasSize(1);
        assertThat(Json.text(stored().getFirst(), "metadata", "name")).as("updated in place").isEqualTo(name);
        assertThat(addresses(stored().getFirst())).containsExactly("100.64.0.3");
        pods.list().forEach(pods::remove);
        reconcile();
        assertThat(stored()).hasSize(1);
        assertThat(stored().getFirst().path("endpoints")).isEmpty();
        assertThat(stored().getFirst().path("ports")).isEmpty();
        api.actions().clear();
        reconcile();
        assertThat(api.actions()).as("a settled service needs no writes").isEmpty();
    }

    @Test
    void finishedPodsAndPodsWithoutIpAreLeftOut() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        ObjectNode done = pod("done", "100.64.0.5", false, 8080);
        Json.with(done, "status").put("phase", "Succeeded");
        ObjectNode pending = pod("pending", "", false, 8080);
        Json.with(pending, "status").remove(List.of("podIP", "podIPs"));
        pods.put(done).put(pending).put(pod("a", "100.64.0.2", true, 8080));
        reconcile();
        assertThat(addresses(stored().getFirst())).containsExactly("100.64.0.2");
    }

    @Test
    void servicesWithoutSelectorOrOfTypeExternalNameGetNoSlices() {
        ObjectNode manual = service("web", "\"ports\":[{\"port\":80}]");
        Json.with(manual, "spec").remove("selector");
        services.put(manual);
        pods.put(pod("a", "100.64.0.2", true, 8080));
        reconcile();
        ObjectNode external = service("ext", "\"type\":\"ExternalName\",\"externalName\":\"example.com\"");
        services.put(external);
        controller.reconcile("default/ext");
        assertThat(stored()).isEmpty();
    }

    @Test
    void headlessServicesAreLabelledSo() {
        services.put(service("web", "\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]"));
        pods.put(pod("a", "100.64.0.2", true, 8080));
        reconcile();
        assertThat(stored().getFirst().path("metadata").path("labels").has("service.kubernetes.io/headless")).isTrue();
        assertThat(addresses(stored().getFirst())).containsExactly("100.64.0.2");
    }

    @Test
    void aSyncBeforeTheCacheCaughtUpWritesNothing() {
        services.put(service("web", "\"ports\":[{\"port\":80}]"));
        pods.put(pod("a", "100.64.0.2", true, 8080));
        controller.reconcile("default/web"); // creates; the cache has not seen it
        api.actions().clear();
        assertThat(controller.reconcile("default/web").requeueAfter()).isNotNull();
        assertThat(api.actions()).isEmpty();
    }
}
