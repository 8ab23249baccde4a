package io.capstan.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodEvictionTest {

    static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();
    static final ResourceType PODS = TYPES.find("", "v1", "pods").orElseThrow();
    static final ResourceType PDBS = TYPES.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
    static final ResourceType NAMESPACES = TYPES.find("", "v1", "namespaces").orElseThrow();

    @TempDir
    Path dir;
    SqliteStore store;
    GenericRegistry registry;
    PodEviction eviction;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        registry = new GenericRegistry(store, TYPES, Clock.systemUTC());
        eviction = new PodEviction(registry, TYPES, Clock.systemUTC());
        ObjectNode ns = Json.object();
        ns.putObject("metadata").put("name", "default");
        registry.create(NAMESPACES, "", ns, false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anAllowedDisruptionIsSpentAndRecordedAndTheLastOneFlipsTheCondition() {
        pod("p1", true);
        budget("pdb", Json.object().put("app", "web"), 1, 3, 2);

        eviction.evict("default", "p1", "p1", DeleteOptions.DEFAULT);

        JsonNode status = registry.get(PDBS, "default", "pdb").path("status");
        assertThat(status.path("disruptionsAllowed").asInt()).isZero();
        assertThat(status.path("disruptedPods").has("p1")).isTrue();
        assertThat(status.path("conditions").get(0).path("reason").asText()).isEqualTo("InsufficientPods");
        assertThat(status.path("conditions").get(0).path("status").asText()).isEqualTo("False");
        assertThat(Json.at(registry.get(PODS, "default", "p1"), "metadata", "deletionTimestamp")).isNotNull();
    }

    @Test
    void noAllowedDisruptionIs429AndThePodStays() {
        pod("p1", true);
        budget("pdb", Json.object().put("app", "web"), 0, 2, 2);

        assertThatThrownBy(() -> eviction.evict("default", "p1", "p1", DeleteOptions.DEFAULT))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(429);
                    assertThat(e.getMessage()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
                });
        assertThat(Json.at(registry.get(PODS, "default", "p1"), "metadata", "deletionTimestamp")).isNull();
    }

    @Test
    void anUnreadyPodGoesWithoutSpendingWhenTheBudgetHasHealthyPodsToSpare() {
        pod("sick", false);
        budget("pdb", Json.object().put("app", "web"), 0, 2, 2);

        eviction.evict("default", "sick", "sick", DeleteOptions.DEFAULT);

        assertThat(Json.at(registry.get(PODS, "default", "sick"), "metadata", "deletionTimestamp")).isNotNull();
        assertThat(registry.get(PDBS, "default", "pdb").path("status").has("disruptedPods")).isFalse();
    }

    @Test
    void aBudgetWithAnEmptySelectorCoversNothing() {
        pod("p1", true);
        budget("all", Json.object(), 0, 0, 1);

        eviction.evict("default", "p1", "p1", DeleteOptions.DEFAULT);

        assertThat(Json.at(registry.get(PODS, "default", "p1"), "metadata", "deletionTimestamp")).isNotNull();
    }

    @Test
    void aNegativeAllowanceIsForbidden() {
        pod("p1", true);
        budget("pdb", Json.object().put("app", "web"), -1, 2, 2);

        assertThatThrownBy(() -> eviction.evict("default", "p1", "p1", DeleteOptions.DEFAULT))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("poddisruptionbudget.policy \"pdb\" is forbidden: pdb disruptions allowed is negative"));
    }

    @Test
    void twoBudgetsOverOnePodAre500() {
        pod("p1", true);
        budget("a", Json.object().put("app", "web"), 1, 2, 1);
        budget("b", Json.object().put("app", "web"), 1, 2, 1);

        assertThatThrownBy(() -> eviction.evict("default", "p1", "p1", DeleteOptions.DEFAULT))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
                });
    }

    @Test
    void theEvictionMustNameThePodOfTheUrl() {
        pod("p1", true);

        assertThatThrownBy(() -> eviction.evict("default", "p1", "p2", DeleteOptions.DEFAULT))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("name in URL does not match name in Eviction object");
                });
    }

    private void pod(String name, boolean ready) {
        ObjectNode p = Json.object();
        p.putObject("metadata").put("name", name).putObject("labels").put("app", "web");
        ObjectNode spec = p.putObject("spec").put("nodeName", "sim-0");
        spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
        registry.create(PODS, "default", p, false);
        ObjectNode running = registry.get(PODS, "default", name);
        ObjectNode status = Json.with(running, "status").put("phase", "Running");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
        registry.update(PODS, "default", name, "status", running, false);
    }

    private void budget(String name, ObjectNode matchLabels, int allowed, int healthy, int desired) {
        ObjectNode pdb = Json.object();
        pdb.putObject("metadata").put("name", name);
        ObjectNode spec = pdb.putObject("spec").put("minAvailable", desired);
        spec.putObject("selector").set("matchLabels", matchLabels);
        registry.create(PDBS, "default", pdb, false);
        ObjectNode current = registry.get(PDBS, "default", name);
        Json.with(current, "status").put("observedGeneration", 1).put("disruptionsAllowed", allowed)
                .put("currentHealthy", healthy).put("desiredHealthy", desired).put("expectedPods", healthy);
        registry.update(PDBS, "default", name, "status", current, false);
    }
}
