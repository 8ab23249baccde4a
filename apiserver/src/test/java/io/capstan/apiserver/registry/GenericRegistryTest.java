package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.store.Store;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create and update: system metadata, generation, compare-and-swap, status ownership and allocated values. */
class GenericRegistryTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    private static final ResourceType DEPLOYMENTS = TYPES.find("apps", "v1", "deployments").orElseThrow();
    private static final ResourceType SERVICES = TYPES.find("", "v1", "services").orElseThrow();
    private static final ResourceType CONFIGMAPS = TYPES.find("", "v1", "configmaps").orElseThrow();

    @TempDir
    Path dir;
    Store store;
    GenericRegistry registry;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, TYPES, Clock.systemUTC());
        registry.create(TYPES.find("", "v1", "namespaces").orElseThrow(), "", object("{\"metadata\":{\"name\":\"ns\"}}"), false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createSetsSystemMetadataAndGeneratesNames() {
        ObjectNode cm = registry.create(CONFIGMAPS, "ns", object("{\"metadata\":{\"generateName\":\"web-\"}}"), false);
        assertThat(Json.text(cm, "metadata", "name")).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(Json.text(cm, "metadata", "uid")).matches("[0-9a-f-]{36}");
        assertThat(Json.text(cm, "metadata", "creationTimestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Json.text(cm, "metadata", "namespace")).isEqualTo("ns");
        assertThat(Long.parseLong(Json.text(cm, "metadata", "resourceVersion"))).isEqualTo(store.currentRevision());
        assertThat(cm.path("metadata").has("generation")).as("config maps have no generation").isFalse();
        assertThatThrownBy(() -> registry.create(CONFIGMAPS, "nowhere", object("{\"metadata\":{\"name\":\"a\"}}"), false))
                .hasMessage("namespaces \"nowhere\" not found");
        assertThatThrownBy(() -> registry.create(CONFIGMAPS, "ns", object("{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"3\"}}"), false))
                .hasMessage("resourceVersion should not be set on objects to be created");
    }

    @Test
    void generationMovesOnlyOnSpecChanges() {
        registry.create(DEPLOYMENTS, "ns", deployment("app", "web", 1), false);
        assertThat(generation()).isEqualTo(1);
        registry.patch(DEPLOYMENTS, "ns", "web", "", d -> {
            Json.with(d, "metadata", "labels").put("team", "a");
            return d;
        }, false);
        assertThat(generation()).isEqualTo(1);
        registry.patch(DEPLOYMENTS, "ns", "web", "", d -> {
            Json.with(d, "spec").put("replicas", 3);
            return d;
        }, false);
        assertThat(generation()).isEqualTo(2);
    }

    @Test
    void theStatusSubresourceWritesOnlyStatusAndTheMainResourceNeverDoes() {
        registry.create(DEPLOYMENTS, "ns", deployment("app", "web", 1), false);
        registry.patch(DEPLOYMENTS, "ns", "web", "status", d -> {
            Json.with(d, "status").put("replicas", 1);
            Json.with(d, "spec").put("replicas", 9);
            return d;
        }, false);
        ObjectNode d = registry.get(DEPLOYMENTS, "ns", "web");
        assertThat(d.at("/status/replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        registry.patch(DEPLOYMENTS, "ns", "web", "", o -> {
            Json.with(o, "status").put("replicas", 7);
            return o;
        }, false);
        assertThat(registry.get(DEPLOYMENTS, "ns", "web").at("/status/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void aStaleResourceVersionIsAConflictAndANoOpKeepsTheVersion() {
        ObjectNode created = registry.create(CONFIGMAPS, "ns", object("{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"1\"}}"), false);
        ObjectNode same = registry.update(CONFIGMAPS, "ns", "a", "", created.deepCopy(), false);
        assertThat(Json.text(same, "metadata", "resourceVersion")).isEqualTo(Json.text(created, "metadata", "resourceVersion"));
        ObjectNode changed = created.deepCopy();
        Json.with(changed, "data").put("k", "2");
        registry.update(CONFIGMAPS, "ns", "a", "", changed, false);
        ObjectNode stale = created.deepCopy();
        Json.with(stale, "data").put("k", "3");
        assertThatThrownBy(() -> registry.update(CONFIGMAPS, "ns", "a", "", stale, false))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
                            + "please apply your changes to the latest version and try again");
                });
    }

    @Test
    void aDeploymentSelectorCannotChange() {
        ObjectNode d = registry.create(DEPLOYMENTS, "ns", deployment("app", "web", 1), false);
        ObjectNode next = deployment("app", "other", 1);
        Json.with(next, "metadata").put("resourceVersion", Json.text(d, "metadata", "resourceVersion"));
        assertThatThrownBy(() -> registry.update(DEPLOYMENTS, "ns", "web", "", next, false))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.causes()).extracting(c -> c.field()).contains("spec.selector");
                    assertThat(e.getMessage()).startsWith("Deployment.apps \"web\" is invalid: ");
                });
    }

    @Test
    void aReplacedServiceKeepsItsClusterIp() {
        registry.create(SERVICES, "ns", object("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"clusterIP\":\"10.43.0.5\","
                + "\"clusterIPs\":[\"10.43.0.5\"],\"ports\":[{\"port\":80}]}}"), false);
        ObjectNode replaced = registry.update(SERVICES, "ns", "web", "",
                object("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":8080}]}}"), false);
        assertThat(replaced.at("/spec/clusterIP").asText()).isEqualTo("10.43.0.5");
        assertThat(replaced.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThatThrownBy(() -> registry.update(SERVICES, "ns", "web", "",
                object("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"clusterIP\":\"10.43.0.6\",\"ports\":[{\"port\":80}]}}"), false))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("may not change once set"));
    }

    private long generation() {
        return registry.get(DEPLOYMENTS, "ns", "web").at("/metadata/generation").asLong();
    }

    private static ObjectNode deployment(String key, String value, int replicas) {
        return object("""
                {"metadata":{"name":"web"},"spec":{"replicas":%d,"selector":{"matchLabels":{"%s":"%s"}},
                 "template":{"metadata":{"labels":{"%s":"%s"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}"""
                .formatted(replicas, key, value, key, value));
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes());
    }
}
