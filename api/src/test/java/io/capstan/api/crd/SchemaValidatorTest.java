package io.capstan.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    private static final JsonNode SCHEMA = json("""
            {"type":"object","properties":{
              "spec":{"type":"object","required":["cronSpec"],"properties":{
                "cronSpec":{"type":"string","pattern":"^(\\\\d+|\\\\*)(/\\\\d+)?(\\\\s+(\\\\d+|\\\\*)(/\\\\d+)?){4}$"},
                "replicas":{"type":"integer","minimum":1,"maximum":10},
                "ratio":{"type":"number","exclusiveMaximum":true,"maximum":1},
                "mode":{"type":"string","enum":["Fast","Slow"]},
                "name":{"type":"string","maxLength":5,"minLength":2},
                "port":{"x-kubernetes-int-or-string":true},
                "tags":{"type":"array","maxItems":2,"x-kubernetes-list-type":"set","items":{"type":"string"}},
                "limits":{"type":"object","additionalProperties":{"type":"integer"}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}
            """);

    private static List<String> messages(String obj) {
        return SchemaValidator.validate(SCHEMA, json(obj)).stream().map(FieldError::message).toList();
    }

    @Test
    void conformingObjectHasNoErrors() {
        assertThat(messages("""
                {"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"x"},
                 "spec":{"cronSpec":"* * * * */5","replicas":3,"ratio":0.5,"mode":"Fast","name":"abc","port":"http",
                         "tags":["a","b"],"limits":{"cpu":2},"free":{"anything":[1,{"x":true}]}}}
                """)).isEmpty();
    }

    @Test
    void wrongTypeReadsLikeKubernetes() {
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"replicas\":\"three\"}}")).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"replicas\":1.5}}")).containsExactly(
                "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"port\":true}}")).containsExactly(
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"");
    }

    @Test
    void wholeFloatsCountAsIntegers() {
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"replicas\":2.0}}")).isEmpty();
    }

    @Test
    void requiredEnumAndPattern() {
        assertThat(messages("{\"spec\":{\"mode\":\"Medium\"}}")).containsExactly("spec.cronSpec: Required value",
                "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"");
        assertThat(messages("{\"spec\":{\"cronSpec\":\"nope\"}}")).containsExactly("spec.cronSpec: Invalid value: \"nope\": "
                + "spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'");
    }

    @Test
    void numberAndLengthBounds() {
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"replicas\":0,\"ratio\":1,\"name\":\"toolong\"}}")).containsExactly(
                "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
                "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1",
                "spec.name: Too long: may not be more than 5 bytes");
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"replicas\":11,\"name\":\"a\"}}")).containsExactly(
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
                "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long");
    }

    @Test
    void listsAndMaps() {
        assertThat(messages("{\"spec\":{\"cronSpec\":\"* * * * *\",\"tags\":[\"a\",\"a\",\"b\"],\"limits\":{\"cpu\":\"x\"}}}"))
                .containsExactly("spec.tags: Too many: 3: must have at most 2 items", "spec.tags[1]: Duplicate value: \"a\"",
                        "spec.limits.cpu: Invalid value: \"string\": spec.limits.cpu in body must be of type integer: \"string\"");
    }

    @Test
    void nullOnlyWhereNullable() {
        assertThat(messages("{\"spec\":{\"cronSpec\":null}}")).containsExactly(
                "spec.cronSpec: Invalid value: \"null\": spec.cronSpec in body must be of type string: \"null\"");
    }

    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
