package io.capstan.apiserver.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceRegistry;
import io.capstan.apiserver.registry.DeleteOptions;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.store.Store;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesServiceTest {

    @TempDir
    Path dir;
    Store store;
    GenericRegistry registry;
    KubernetesService kubernetes;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, ResourceRegistry.withBuiltins(), Clock.systemUTC());
        registry.create(Kinds.NAMESPACES, "", Json.parseObject("{\"metadata\":{\"name\":\"default\"}}".getBytes()), false);
        kubernetes = new KubernetesService(registry, "192.0.2.10", 6443);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theServiceEndpointsAndSliceAreCreatedAndHealed() {
        kubernetes.reconcile();
        ObjectNode svc = registry.get(Kinds.SERVICES, "default", "kubernetes");
        assertThat(Json.text(svc, "spec", "clusterIP")).isEqualTo("10.43.0.1");
        assertThat(svc.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(6443);
        assertThat(registry.get(Kinds.ENDPOINTS, "default", "kubernetes").path("subsets").get(0).path("addresses").get(0).path("ip").asText())
                .isEqualTo("192.0.2.10");
        assertThat(registry.get(Kinds.ENDPOINT_SLICES, "default", "kubernetes").path("endpoints").get(0).path("addresses").get(0).asText())
                .isEqualTo("192.0.2.10");

        registry.delete(Kinds.SERVICES, "default", "kubernetes", DeleteOptions.DEFAULT);
        registry.patch(Kinds.ENDPOINTS, "default", "kubernetes", "", ep -> {
            ep.remove("subsets");
            return ep;
        }, false);
        kubernetes.reconcile();

        assertThat(Json.text(registry.get(Kinds.SERVICES, "default", "kubernetes"), "spec", "clusterIP")).isEqualTo("10.43.0.1");
        assertThat(registry.get(Kinds.ENDPOINTS, "default", "kubernetes").path("subsets")).hasSize(1);
    }
}
