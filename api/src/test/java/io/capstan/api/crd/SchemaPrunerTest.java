package io.capstan.api.crd;

import static io.capstan.api.crd.SchemaValidatorTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SchemaPrunerTest {

    private static final JsonNode SCHEMA = json("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "image":{"type":"string"},
                "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
                "labels":{"type":"object","additionalProperties":{"type":"string"}},
                "raw":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object"}}}}}}}
            """);

    @Test
    void dropsWhatTheSchemaDoesNotSpecify() {
        ObjectNode obj = (ObjectNode) json("""
                {"apiVersion":"x/v1","kind":"X","metadata":{"name":"a","labels":{"k":"v"}},"extra":1,
                 "spec":{"image":"i","foo":true,"items":[{"name":"n","bar":2}],"labels":{"any":"thing"},
                         "raw":{"deep":{"keep":1}},"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{},"x":1}}}
                """);
        assertThat(SchemaPruner.prune(SCHEMA, obj)).containsExactly("extra", "spec.foo", "spec.items[0].bar", "spec.template.x");
        assertThat(obj).isEqualTo(json("""
                {"apiVersion":"x/v1","kind":"X","metadata":{"name":"a","labels":{"k":"v"}},
                 "spec":{"image":"i","items":[{"name":"n"}],"labels":{"any":"thing"},
                         "raw":{"deep":{"keep":1}},"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}}}
                """));
    }

    @Test
    void unknownFieldsLeavesTheObjectAlone() {
        JsonNode obj = json("{\"spec\":{\"image\":\"i\",\"foo\":true}}");
        assertThat(SchemaPruner.unknownFields(SCHEMA, obj)).containsExactly("spec.foo");
        assertThat(obj.path("spec").has("foo")).isTrue();
    }

    @Test
    void preserveUnknownFieldsAtTheRootKeepsEverything() {
        ObjectNode obj = (ObjectNode) json("{\"spec\":{\"anything\":1},\"other\":2}");
        assertThat(SchemaPruner.prune(json("{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}"), obj)).isEmpty();
        assertThat(obj.has("other")).isTrue();
    }
}
