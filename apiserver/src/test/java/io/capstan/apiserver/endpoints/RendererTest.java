package io.capstan.apiserver.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.ListResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class RendererTest {

    private static final ResourceType PODS = ResourceRegistry.withBuiltins().findKind("v1", "Pod").orElseThrow();

    private static ObjectNode pod(String name, String phase) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"%s","namespace":"default","resourceVersion":"7",
                 "labels":{"app":"web"},"creationTimestamp":"2026-01-01T00:00:00Z"},
                 "spec":{"containers":[{"name":"app","image":"nginx"}]},"status":{"phase":"%s"}}
                """.formatted(name, phase));
    }

    @Test
    void listTableCarriesListMetadataEveryColumnAndPartialObjectsByDefault() throws Exception {
        ObjectNode table = Renderer.list(PODS, new ListResult(List.of(pod("a", "Running")), 42, "next", 3L), Renderer.Form.TABLE,
                Renderer.includeObject(Renderer.Form.TABLE, null));
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
        assertThat(table.path("metadata").path("continue").asText()).isEqualTo("next");
        assertThat(table.path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);
        assertThat(table.path("columnDefinitions")).hasSize(9);
        assertThat(table.path("columnDefinitions").get(5).path("priority").asInt()).isEqualTo(1);
        JsonNode row = table.path("rows").get(0);
        assertThat(row.path("cells").get(0).asText()).isEqualTo("a");
        assertThat(row.path("cells").get(1).asText()).isEqualTo("0/1");
        assertThat(row.path("cells")).hasSize(9);
        assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(row.path("object").path("metadata").path("labels").path("app").asText()).isEqualTo("web");
        assertThat(row.has("conditions")).isFalse();
    }

    @Test
    void includeObjectChoosesTheFullObjectNothingOrMetadata() throws Exception {
        ObjectNode obj = pod("a", "Running");
        assertThat(Renderer.single(PODS, obj, Renderer.Form.TABLE, "Object").path("rows").get(0).path("object").path("spec").isObject())
                .isTrue();
        JsonNode none = Renderer.single(PODS, obj, Renderer.Form.TABLE, "None").path("rows").get(0);
        assertThat(none.has("object")).isTrue();
        assertThat(none.path("object").isNull()).isTrue();
        ObjectNode single = Renderer.single(PODS, obj, Renderer.Form.TABLE, "Metadata");
        assertThat(single.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
        assertThat(single.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    }

    @Test
    void unknownIncludeObjectIsABadRequestOnlyForTables() {
        assertThatThrownBy(() -> Renderer.includeObject(Renderer.Form.TABLE, "Everything"))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("unrecognized includeObject value: \"Everything\"");
                });
        assertThat(Renderer.includeObject(Renderer.Form.OBJECT, "Everything")).isEqualTo("Metadata");
    }

    @Test
    void laterWatchTablesHaveNullColumnDefinitions() throws Exception {
        ObjectNode later = Renderer.table(PODS, List.of(pod("a", "Running")), "Metadata", false, Json.object());
        assertThat(later.has("columnDefinitions")).isTrue();
        assertThat(later.path("columnDefinitions").isNull()).isTrue();
        assertThat(later.path("rows")).hasSize(1);
    }

    @Test
    void finishedPodRowsAreMarkedCompleted() throws Exception {
        JsonNode row = Renderer.single(PODS, pod("done", "Succeeded"), Renderer.Form.TABLE, "None").path("rows").get(0);
        assertThat(row.path("conditions").get(0).path("type").asText()).isEqualTo("Completed");
        assertThat(row.path("conditions").get(0).path("reason").asText()).isEqualTo("Succeeded");
        assertThat(row.path("cells").get(2).asText()).isEqualTo("Succeeded");
    }
}
