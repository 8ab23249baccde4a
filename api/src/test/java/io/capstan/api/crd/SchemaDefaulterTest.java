package io.capstan.api.crd;

import static io.capstan.api.crd.SchemaValidatorTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SchemaDefaulterTest {

    private static final JsonNode SCHEMA = json("""
            {"type":"object","properties":{
              "spec":{"type":"object","default":{},"properties":{
                "replicas":{"type":"integer","default":1},
                "policy":{"type":"object","properties":{"mode":{"type":"string","default":"Fast"}}},
                "ports":{"type":"array","items":{"type":"object","properties":{"protocol":{"type":"string","default":"TCP"}}}}}}}}
            """);

    @Test
    void fillsAbsentFieldsAtEveryDepthThatExists() {
        JsonNode obj = json("{\"spec\":{\"policy\":{},\"ports\":[{\"port\":80},{\"protocol\":\"UDP\"}]}}");
        SchemaDefaulter.apply(SCHEMA, obj);
        assertThat(obj).isEqualTo(json(
                "{\"spec\":{\"policy\":{\"mode\":\"Fast\"},\"ports\":[{\"port\":80,\"protocol\":\"TCP\"},{\"protocol\":\"UDP\"}],\"replicas\":1}}"));
    }

    @Test
    void defaultedObjectsAreDefaultedInside() {
        JsonNode obj = json("{}");
        SchemaDefaulter.apply(SCHEMA, obj);
        assertThat(obj).isEqualTo(json("{\"spec\":{\"replicas\":1}}"));
    }

    @Test
    void givenValuesStay() {
        JsonNode obj = json("{\"spec\":{\"replicas\":5}}");
        SchemaDefaulter.apply(SCHEMA, obj);
        assertThat(obj.path("spec").path("replicas").asInt()).isEqualTo(5);
    }
}
