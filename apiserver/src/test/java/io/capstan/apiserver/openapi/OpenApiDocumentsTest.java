package io.capstan.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.crd.CrdTypes;
import org.junit.jupiter.api.Test;

class OpenApiDocumentsTest {

    private final ResourceRegistry types = ResourceRegistry.withBuiltins();
    private final OpenApiDocuments documents = new OpenApiDocuments(types);

    private JsonNode schemas(String group, String version) {
        return OpenApiDocuments.tree(documents.groupVersion(group, version)).path("components").path("schemas");
    }

    @Test
    void builtinKindsHaveRealSchemasWithKubernetesNames() {
        JsonNode schemas = schemas("apps", "v1");
        JsonNode deployment = schemas.path("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("Deployment");
        assertThat(deployment.at("/x-kubernetes-group-version-kind/0/group").asText()).isEqualTo("apps");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentList/x-kubernetes-group-version-kind/0/kind").asText())
                .isEqualTo("DeploymentList");
        assertThat(deployment.at("/properties/metadata").toString()).contains("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        JsonNode spec = schemas.path("io.k8s.api.apps.v1.DeploymentSpec");
        assertThat(spec.at("/properties/replicas/type").asText()).isEqualTo("integer");
        assertThat(spec.at("/properties/replicas/format").asText()).isEqualTo("int32");
        assertThat(spec.at("/properties/strategy").toString()).contains("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentStrategy/properties/type/type").asText()).isEqualTo("string");
        assertThat(schemas.at("/io.k8s.apimachinery.pkg.util.intstr.IntOrString/format").asText()).isEqualTo("int-or-string");
    }

    @Test
    void listsCarryMergeKeysAndListTypes() {
        JsonNode containers = schemas("", "v1").at("/io.k8s.api.core.v1.PodSpec/properties/containers");
        assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(containers.path("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(containers.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"name\"]");
        assertThat(containers.at("/items/$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
        JsonNode ports = schemas("", "v1").at("/io.k8s.api.core.v1.ServiceSpec/properties/ports/x-kubernetes-list-map-keys");
        assertThat(ports.toString()).isEqualTo("[\"port\",\"protocol\"]");
    }

    @Test
    void descriptionsComeFromTheModelsDocumentation() {
        JsonNode schemas = schemas("apps", "v1");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentStrategy/description").asText())
                .isEqualTo("DeploymentStrategy describes how to replace existing pods with new ones.");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentStrategy/properties/type/description").asText())
                .startsWith("Type of deployment. Can be \"Recreate\" or \"RollingUpdate\".");
    }

    @Test
    void patchOperationsOfferStrategicMergeOnlyForBuiltinKinds() {
        ObjectNode doc = OpenApiDocuments.tree(documents.groupVersion("apps", "v1"));
        JsonNode patch = doc.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");
        assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json")).isTrue();
        assertThat(patch.at("/parameters").toString()).contains("fieldValidation");
    }

    @Test
    void customKindsArePublishedFromTheirSchemaAndChangeTheHash() throws Exception {
        String before = documents.index().toString();
        ResourceType crontab = CrdTypes.of(Json.MAPPER.readTree("""
                {"metadata":{"name":"crontabs.stable.example.com"},"spec":{"group":"stable.example.com","scope":"Namespaced",
                 "names":{"plural":"crontabs","kind":"CronTab"},
                 "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
                   "properties":{"spec":{"type":"object","properties":{"cronSpec":{"type":"string","description":"When."}}}}}}}]}}
                """)).getFirst();
        types.add(crontab);
        String after = documents.index().toString();
        assertThat(before).doesNotContain("stable.example.com");
        assertThat(after).contains("apis/stable.example.com/v1?hash=");
        ObjectNode doc = OpenApiDocuments.tree(documents.groupVersion("stable.example.com", "v1"));
        JsonNode schema = doc.at("/components/schemas/com.example.stable.v1.CronTab");
        assertThat(schema.at("/properties/spec/properties/cronSpec/description").asText()).isEqualTo("When.");
        assertThat(schema.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("CronTab");
        assertThat(schema.at("/properties/metadata/allOf/0/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(doc.at("/components/schemas").has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
        JsonNode patch = doc.at("/paths/~1apis~1stable.example.com~1v1~1namespaces~1{namespace}~1crontabs~1{name}/patch");
        assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json")).isFalse();

        String appsHash = documents.groupVersion("apps", "v1").hash();
        assertThat(documents.groupVersion("apps", "v1").hash()).as("stable while nothing changes").isEqualTo(appsHash);
    }
}
