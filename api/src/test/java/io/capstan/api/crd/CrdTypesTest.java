package io.capstan.api.crd;

import static io.capstan.api.crd.SchemaValidatorTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.SchemaChecker;
import io.capstan.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdTypesTest {

    static final String CRONTABS = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"crontabs.stable.example.com"},
             "spec":{"group":"stable.example.com","scope":"Namespaced",
               "names":{"plural":"crontabs","singular":"crontab","kind":"CronTab","shortNames":["ct"],"categories":["all"]},
               "versions":[
                 {"name":"v1beta1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}},
                 {"name":"v1","served":true,"storage":true,
                  "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object"}}}},
                  "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas",
                                                       "labelSelectorPath":".status.selector"}}},
                 {"name":"v2alpha1","served":false,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
            """;

    @Test
    void oneKindPerServedVersionMostPreferredFirst() {
        List<ResourceType> types = CrdTypes.of(json(CRONTABS));
        assertThat(types).extracting(ResourceType::version).containsExactly("v1", "v1beta1");
        ResourceType v1 = types.getFirst();
        assertThat(v1.apiVersion()).isEqualTo("stable.example.com/v1");
        assertThat(v1.kind()).isEqualTo("CronTab");
        assertThat(v1.plural()).isEqualTo("crontabs");
        assertThat(v1.singular()).isEqualTo("crontab");
        assertThat(v1.namespaced()).isTrue();
        assertThat(v1.shortNames()).containsExactly("ct");
        assertThat(v1.categories()).containsExactly("all");
        assertThat(v1.subresources()).containsExactlyInAnyOrder("status", "scale");
        assertThat(v1.custom().scale().labelSelectorPath()).isEqualTo(".status.selector");
        assertThat(v1.custom().schema().path("properties").has("spec")).isTrue();
        assertThat(v1.listKind()).isEqualTo("CronTabList");
        assertThat(v1.qualifiedResource()).isEqualTo("crontabs.stable.example.com");
        assertThat(types.get(1).subresources()).isEmpty();
    }

    @Test
    void clusterScopeAndDefaultNames() {
        ObjectNode crd = (ObjectNode) json(CRONTABS);
        ((ObjectNode) crd.get("spec")).put("scope", "Cluster");
        ((ObjectNode) crd.at("/spec/names")).remove("singular");
        CrdTypes.applyDefaults(crd);
        assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("crontab");
        assertThat(crd.at("/spec/names/listKind").asText()).isEqualTo("CronTabList");
        assertThat(crd.at("/spec/conversion/strategy").asText()).isEqualTo("None");
        assertThat(CrdTypes.of(crd).getFirst().namespaced()).isFalse();
    }

    @Test
    void validDefinitionPasses() {
        ObjectNode crd = (ObjectNode) json(CRONTABS);
        CrdTypes.applyDefaults(crd);
        assertThat(errors(crd)).isEmpty();
    }

    @Test
    void nameMustBePluralDotGroup() {
        ObjectNode crd = (ObjectNode) json(CRONTABS);
        CrdTypes.applyDefaults(crd);
        ((ObjectNode) crd.get("metadata")).put("name", "crontab.stable.example.com");
        assertThat(errors(crd)).containsExactly(
                "metadata.name: Invalid value: \"crontab.stable.example.com\": must be spec.names.plural+\".\"+spec.group");
    }

    @Test
    void exactlyOneStorageVersion() {
        ObjectNode crd = (ObjectNode) json(CRONTABS);
        CrdTypes.applyDefaults(crd);
        ((ObjectNode) crd.at("/spec/versions/0")).put("storage", true);
        assertThat(errors(crd)).singleElement().asString()
                .startsWith("spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{")
                .endsWith(": must have exactly one version marked as storage version");
    }

    @Test
    void schemaMustBeStructural() {
        ObjectNode crd = (ObjectNode) json(CRONTABS);
        CrdTypes.applyDefaults(crd);
        ObjectNode spec = (ObjectNode) crd.at("/spec/versions/1/schema/openAPIV3Schema/properties/spec");
        spec.remove("type");
        spec.putObject("properties").putObject("items").putObject("items");
        assertThat(errors(crd)).containsExactly(
                "spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
                "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[items].type: Required value: "
                        + "must not be empty for specified object fields",
                "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[items].items.type: Required value: "
                        + "must not be empty for specified array items");
    }

    @Test
    void groupScopeAndSchemaRequired() {
        JsonNode crd = json("""
                {"metadata":{"name":"things.example"},"spec":{"group":"example","scope":"Everywhere",
                 "names":{"plural":"things","singular":"thing","kind":"Thing","listKind":"ThingList"},
                 "versions":[{"name":"v1","served":true,"storage":true}]}}
                """);
        assertThat(errors(crd)).containsExactly(
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.scope: Unsupported value: \"Everywhere\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required");
    }

    @Test
    void definitionsWithItemsAndAdditionalPropertiesHaveNoUnknownFields() {
        ResourceType crds = ResourceRegistry.withBuiltins().find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
        JsonNode crd = json("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"apps.tools.example.com"},
                 "spec":{"group":"tools.example.com","scope":"Cluster","names":{"plural":"apps","kind":"App"},
                   "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
                     "hosts":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
                     "labels":{"type":"object","additionalProperties":{"type":"string"}},
                     "free":{"type":"object","additionalProperties":true},
                     "port":{"x-kubernetes-int-or-string":true},
                     "raw":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"x-kubernetes-embedded-resource":true}}}}}]}}
                """);
        assertThat(new SchemaChecker().unknownFields(crds, crd)).isEmpty();
    }

    @Test
    void versionPriorityFollowsKubernetes() {
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "foo", "v2beta1", "v1", "v11alpha2", "v2", "v1beta1", "bar"));
        versions.sort(VersionPriority.ORDER);
        assertThat(versions).containsExactly("v2", "v1", "v2beta1", "v1beta1", "v11alpha2", "v1alpha1", "bar", "foo");
    }

    private static List<String> errors(JsonNode crd) {
        List<FieldError> errors = new ArrayList<>();
        CrdValidation.validate(crd, errors);
        return errors.stream().map(FieldError::message).toList();
    }
}
