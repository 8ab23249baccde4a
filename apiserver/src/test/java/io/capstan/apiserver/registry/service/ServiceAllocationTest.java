package io.capstan.apiserver.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.DeleteOptions;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.store.Store;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services get cluster IPs and node ports when written through the registry, and give them back. */
class ServiceAllocationTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();

    @TempDir
    Path dir;
    Store store;
    GenericRegistry registry;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, TYPES, Clock.systemUTC());
        registry.create(Kinds.NAMESPACES, "", parse("{\"metadata\":{\"name\":\"ns\"}}"), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ObjectNode create(String json) {
        return registry.create(Kinds.SERVICES, "ns", parse(json), false);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String svc(String name, String spec) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}";
    }

    private static final String PORT80 = "\"ports\":[{\"port\":80}]";

    @Test
    void clusterIpComesFromTheRangeWithFamiliesFilled() {
        ObjectNode s = create(svc("a", "{" + PORT80 + "}"));
        String ip = Json.text(s, "spec", "clusterIP");
        assertThat(ip).startsWith("10.43.").isNotEqualTo("10.43.0.1");
        assertThat(s.path("spec").path("clusterIPs")).hasSize(1);
        assertThat(s.path("spec").path("clusterIPs").get(0).asText()).isEqualTo(ip);
        assertThat(Json.text(s, "spec", "ipFamilyPolicy")).isEqualTo("SingleStack");
        assertThat(s.path("spec").path("ipFamilies").get(0).asText()).isEqualTo("IPv4");
        assertThat(Json.text(s, "spec", "internalTrafficPolicy")).isEqualTo("Cluster");
        assertThat(s.path("spec").has("externalTrafficPolicy")).isFalse();
        assertThat(s.path("status").path("loadBalancer").isObject()).isTrue();
    }

    @Test
    void explicitClusterIpIsHonouredOnceAndMustBeInRange() {
        assertThat(create(svc("a", "{\"clusterIP\":\"10.43.0.50\"," + PORT80 + "}")).path("spec").path("clusterIPs").path(0).asText())
                .isEqualTo("10.43.0.50");
        assertThatThrownBy(() -> create(svc("b", "{\"clusterIP\":\"10.43.0.50\"," + PORT80 + "}")))
                .hasMessage("Service \"b\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.43.0.50\"}: "
                        + "failed to allocate IP 10.43.0.50: provided IP is already allocated");
        assertThatThrownBy(() -> create(svc("c", "{\"clusterIP\":\"10.99.0.5\"," + PORT80 + "}")))
                .hasMessage("Service \"c\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.99.0.5\"}: failed to allocate IP "
                        + "10.99.0.5: the provided IP (10.99.0.5) is not in the valid range. The range of valid IPs is 10.43.0.0/16");
    }

    @Test
    void headlessAndExternalNameGetNoAddress() {
        ObjectNode headless = create(svc("h", "{\"clusterIP\":\"None\"," + PORT80 + "}"));
        assertThat(headless.path("spec").path("clusterIPs").get(0).asText()).isEqualTo("None");
        ObjectNode external = create(svc("e", "{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}"));
        assertThat(external.path("spec").has("clusterIP")).isFalse();
        assertThat(external.path("spec").has("ipFamilies")).isFalse();
    }

    @Test
    void nodePortsAreAllocatedAndNeverShared() {
        ObjectNode a = create(svc("a", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080},{\"name\":\"x\",\"port\":81}]}"));
        assertThat(a.path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);
        assertThat(a.path("spec").path("ports").get(1).path("nodePort").asInt()).isBetween(30000, 32767).isNotEqualTo(30080);
        assertThat(Json.text(a, "spec", "externalTrafficPolicy")).isEqualTo("Cluster");
        assertThatThrownBy(() -> create(svc("b", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}")))
                .hasMessage("Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThat(registry.find(Kinds.SERVICES, "ns", "b")).isEmpty();
    }

    @Test
    void aFailedCreateGivesBackWhatItTook() {
        create(svc("a", "{\"clusterIP\":\"10.43.0.60\"," + PORT80 + "}"));
        assertThatThrownBy(() -> create(svc("a", "{\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.61\",\"ports\":[{\"port\":80,\"nodePort\":30090}]}")))
                .isInstanceOf(StatusException.class).hasMessageContaining("already exists");
        assertThat(registry.serviceAllocator().isAllocated("10.43.0.61")).isFalse();
        assertThat(registry.serviceAllocator().isAllocated(30090)).isFalse();
    }

    @Test
    void loadBalancerWithLocalPolicyGetsAHealthCheckNodePort() {
        ObjectNode lb = create(svc("lb", "{\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\"," + PORT80 + "}"));
        assertThat(lb.path("spec").path("healthCheckNodePort").asInt()).isBetween(30000, 32767);
        assertThat(lb.path("spec").path("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
        ObjectNode noPorts = create(svc("lb2", "{\"type\":\"LoadBalancer\",\"allocateLoadBalancerNodePorts\":false," + PORT80 + "}"));
        assertThat(noPorts.path("spec").path("ports").get(0).has("nodePort")).isFalse();
    }

    @Test
    void typeChangesAddAndReleaseNodePorts() {
        ObjectNode s = create(svc("a", "{" + PORT80 + "}"));
        String ip = Json.text(s, "spec", "clusterIP");
        ObjectNode np = registry.patch(Kinds.SERVICES, "ns", "a", "", o -> {
            Json.with(o, "spec").put("type", "NodePort");
            return o;
        }, false);
        int nodePort = np.path("spec").path("ports").get(0).path("nodePort").asInt();
        assertThat(nodePort).isBetween(30000, 32767);
        assertThat(Json.text(np, "spec", "clusterIP")).isEqualTo(ip);
        assertThat(registry.serviceAllocator().isAllocated(nodePort)).isTrue();
        ObjectNode back = registry.patch(Kinds.SERVICES, "ns", "a", "", o -> {
            Json.with(o, "spec").put("type", "ClusterIP");
            return o;
        }, false);
        assertThat(back.path("spec").path("ports").get(0).has("nodePort")).isFalse();
        assertThat(back.path("spec").has("externalTrafficPolicy")).isFalse();
        assertThat(registry.serviceAllocator().isAllocated(nodePort)).isFalse();
        assertThat(registry.serviceAllocator().isAllocated(ip)).isTrue();
    }

    @Test
    void anUpdateWithoutAllocatedValuesKeepsThem() {
        ObjectNode s = create(svc("a", "{\"type\":\"NodePort\"," + PORT80 + "}"));
        ObjectNode replaced = parse(svc("a", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80}],\"selector\":{\"a\":\"b\"}}"));
        ObjectNode updated = registry.update(Kinds.SERVICES, "ns", "a", "", replaced, false);
        assertThat(Json.text(updated, "spec", "clusterIP")).isEqualTo(Json.text(s, "spec", "clusterIP"));
        assertThat(updated.path("spec").path("ports").get(0).path("nodePort"))
                .isEqualTo(s.path("spec").path("ports").get(0).path("nodePort"));
    }

    @Test
    void deletingAServiceFreesItsAddressAndPorts() {
        create(svc("a", "{\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.70\",\"ports\":[{\"port\":80,\"nodePort\":30070}]}"));
        registry.delete(Kinds.SERVICES, "ns", "a", DeleteOptions.DEFAULT);
        ObjectNode again = create(svc("b", "{\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.70\",\"ports\":[{\"port\":80,\"nodePort\":30070}]}"));
        assertThat(Json.text(again, "spec", "clusterIP")).isEqualTo("10.43.0.70");
    }

    @Test
    void allocationsSurviveARestart() {
        create(svc("a", "{\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.80\",\"ports\":[{\"port\":80,\"nodePort\":30081}]}"));
        GenericRegistry restarted = new GenericRegistry(store, TYPES, Clock.systemUTC());
        assertThatThrownBy(() -> restarted.create(Kinds.SERVICES, "ns",
                parse(svc("b", "{\"clusterIP\":\"10.43.0.80\"," + PORT80 + "}")), false))
                .hasMessageContaining("provided IP is already allocated");
        assertThatThrownBy(() -> restarted.create(Kinds.SERVICES, "ns",
                parse(svc("c", "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30081}]}")), false))
                .hasMessageContaining("provided port is already allocated");
    }

    @Test
    void concurrentCreatesNeverShareAnAddress() throws Exception {
        registry.serviceAllocator(new ServiceAllocator("10.43.0.0/27", "30000-30040"));
        List<Future<ObjectNode>> futures = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 29; i++) {
                String name = "s" + i;
                futures.add(pool.submit(() -> create(svc(name, "{\"type\":\"NodePort\"," + PORT80 + "}"))));
            }
        }
        List<String> ips = Collections.synchronizedList(new ArrayList<>());
        HashSet<Integer> ports = new HashSet<>();
        for (Future<ObjectNode> f : futures) {
            ips.add(Json.text(f.get(), "spec", "clusterIP"));
            ports.add(f.get().path("spec").path("ports").get(0).path("nodePort").asInt());
        }
        assertThat(new HashSet<>(ips)).hasSize(29).doesNotContain("10.43.0.1");
        assertThat(ports).hasSize(29);
        assertThatThrownBy(() -> create(svc("full", "{" + PORT80 + "}"))).hasMessageContaining("range is full");
    }
}
