package io.capstan.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.DeleteOptions;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.store.Store;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomResourceServingTest {

    private static final String CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Cluster","names":{"plural":"widgets","kind":"Widget","shortNames":["wd"]},
               "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                 "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
                   "properties":{"size":{"type":"integer","default":3}}}}}}}]}}
            """;

    @TempDir
    Path dir;
    private Store store;
    private ResourceRegistry types;
    private GenericRegistry registry;
    private ResourceType crds;
    private CustomResourceServing serving;

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir.resolve("state.db"));
        types = ResourceRegistry.withBuiltins();
        registry = new GenericRegistry(store, types, Clock.systemUTC());
        crds = types.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
        serving = new CustomResourceServing(registry, types, Clock.systemUTC());
        serving.start();
    }

    @AfterEach
    void stop() {
        serving.close();
        store.close();
    }

    private Optional<ResourceType> widgets() {
        return types.find("example.com", "v1", "widgets");
    }

    @Test
    void aNewDefinitionIsServedAndEstablished() throws Exception {
        registry.create(crds, "", (ObjectNode) Json.MAPPER.readTree(CRD), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> widgets().isPresent());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode crd = registry.get(crds, "", "widgets.example.com");
            assertThat(crd.at("/status/conditions").findValuesAsText("type")).containsExactly("NamesAccepted", "Established");
            assertThat(crd.at("/status/acceptedNames/kind").asText()).isEqualTo("Widget");
            assertThat(crd.at("/status/storedVersions/0").asText()).isEqualTo("v1");
            assertThat(crd.at("/metadata/finalizers/0").asText()).isEqualTo(CustomResourceServing.FINALIZER);
        });
        ObjectNode widget = (ObjectNode) Json.MAPPER.readTree("{\"metadata\":{\"name\":\"w\"},\"spec\":{}}");
        ObjectNode created = registry.create(widgets().orElseThrow(), "", widget, false);
        assertThat(created.at("/spec/size").asInt()).isEqualTo(3);
    }

    @Test
    void deletingTheDefinitionDeletesItsObjectsAndKind() throws Exception {
        registry.create(crds, "", (ObjectNode) Json.MAPPER.readTree(CRD), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> widgets().isPresent()
                && registry.get(crds, "", "widgets.example.com").at("/metadata/finalizers").size() == 1);
        registry.create(widgets().orElseThrow(), "", (ObjectNode) Json.MAPPER.readTree("{\"metadata\":{\"name\":\"w\"}}"), false);
        ResourceType kind = widgets().orElseThrow();

        registry.delete(crds, "", "widgets.example.com", DeleteOptions.DEFAULT);
        await().atMost(Duration.ofSeconds(10)).until(() -> widgets().isEmpty() && registry.find(crds, "", "widgets.example.com").isEmpty());
        assertThat(registry.find(kind, "", "w")).isEmpty();
        assertThatThrownBy(() -> registry.get(crds, "", "widgets.example.com")).isInstanceOf(StatusException.class);
    }

    @Test
    void storedDefinitionsAreServedAtStart() throws Exception {
        registry.create(crds, "", (ObjectNode) Json.MAPPER.readTree(CRD), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> widgets().isPresent());
        serving.close();

        ResourceRegistry fresh = ResourceRegistry.withBuiltins();
        CustomResourceServing again = new CustomResourceServing(new GenericRegistry(store, fresh, Clock.systemUTC()), fresh, Clock.systemUTC());
        again.start();
        try {
            assertThat(fresh.find("example.com", "v1", "widgets")).as("served before start returns").isPresent();
        } finally {
            again.close();
        }
    }
}
