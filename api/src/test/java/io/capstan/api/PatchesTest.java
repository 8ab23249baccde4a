package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PatchesTest {

    /** RFC 7386 appendix A, each case wrapped in a field "v" since Kubernetes objects are JSON objects. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"a":"b"}                | {"a":"c"}                 | {"a":"c"}
            {"a":"b"}                | {"b":"c"}                 | {"a":"b","b":"c"}
            {"a":"b"}                | {"a":null}                | {}
            {"a":"b","b":"c"}        | {"a":null}                | {"b":"c"}
            {"a":["b"]}              | {"a":"c"}                 | {"a":"c"}
            {"a":"c"}                | {"a":["b"]}               | {"a":["b"]}
            {"a":{"b":"c"}}          | {"a":{"b":"d","c":null}}  | {"a":{"b":"d"}}
            {"a":[{"b":"c"}]}        | {"a":[1]}                 | {"a":[1]}
            ["a","b"]                | ["c","d"]                 | ["c","d"]
            {"a":"b"}                | ["c"]                     | ["c"]
            {"a":"foo"}              | null                      | null
            {"a":"foo"}              | "bar"                     | "bar"
            {"e":null}               | {"a":1}                   | {"e":null,"a":1}
            [1,2]                    | {"a":"b","c":null}        | {"a":"b"}
            {}                       | {"a":{"bb":{"ccc":null}}} | {"a":{"bb":{}}}
            """)
    void mergePatchFollowsRfc7386(String target, String patch, String expected) throws Exception {
        ObjectNode doc = (ObjectNode) json("{\"v\":" + target + "}");
        ObjectNode result = Patches.mergePatch(doc, json("{\"v\":" + patch + "}"));
        JsonNode want = json("{\"v\":" + expected + "}");
        if (want.get("v").isNull()) {
            assertThat(result.has("v")).isFalse(); // a null member deletes it
        } else {
            assertThat(result).isEqualTo(want);
        }
    }

    @Test
    void mergePatchLeavesItsTargetUntouched() throws Exception {
        ObjectNode target = (ObjectNode) json("{\"metadata\":{\"labels\":{\"a\":\"1\"}},\"data\":{\"x\":\"1\"}}");
        ObjectNode result = Patches.mergePatch(target, json("{\"metadata\":{\"labels\":{\"b\":\"2\"}},\"data\":null}"));
        assertThat(result).isEqualTo(json("{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}"));
        assertThat(target).isEqualTo(json("{\"metadata\":{\"labels\":{\"a\":\"1\"}},\"data\":{\"x\":\"1\"}}"));
    }

    @Test
    void aMergePatchMustBeAnObject() {
        assertThatThrownBy(() -> Patches.mergePatch(Json.object(), json("[1]")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void jsonPatchAppliesEveryRfc6902Operation() throws Exception {
        ObjectNode doc = (ObjectNode) json("{\"data\":{\"a\":\"1\",\"b\":\"2\"},\"list\":[\"x\",\"y\"]}");
        ObjectNode result = Patches.jsonPatch(doc, json("""
                [{"op":"add","path":"/data/c","value":"3"},
                 {"op":"add","path":"/list/1","value":"inserted"},
                 {"op":"add","path":"/list/-","value":"last"},
                 {"op":"remove","path":"/data/a"},
                 {"op":"replace","path":"/data/b","value":"two"},
                 {"op":"move","from":"/data/c","path":"/moved"},
                 {"op":"copy","from":"/data/b","path":"/copied"},
                 {"op":"test","path":"/copied","value":"two"}]"""));
        assertThat(result).isEqualTo(json("{\"data\":{\"b\":\"two\"},\"list\":[\"x\",\"inserted\",\"y\",\"last\"],\"moved\":\"3\",\"copied\":\"two\"}"));
        assertThat(doc.path("data").path("a").asText()).as("the target is not changed").isEqualTo("1");
    }

    @Test
    void jsonPatchPathsEscapeSlashAndTilde() throws Exception {
        ObjectNode doc = (ObjectNode) json("{\"metadata\":{\"annotations\":{\"example.com/a~b\":\"1\"}}}");
        ObjectNode result = Patches.jsonPatch(doc, json("[{\"op\":\"remove\",\"path\":\"/metadata/annotations/example.com~1a~0b\"}]"));
        assertThat(result.path("metadata").path("annotations").isEmpty()).isTrue();
    }

    @Test
    void aFailingTestOperationIs422AndChangesNothing() throws Exception {
        ObjectNode doc = (ObjectNode) json("{\"data\":{\"a\":\"1\"}}");
        assertThatThrownBy(() -> Patches.jsonPatch(doc, json("""
                [{"op":"replace","path":"/data/a","value":"2"},{"op":"test","path":"/data/a","value":"1"}]""")))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.causes()).hasSize(1);
                });
        assertThat(doc).isEqualTo(json("{\"data\":{\"a\":\"1\"}}"));
    }

    @Test
    void operationsOnMissingPathsAre422() {
        for (String patch : new String[] {"[{\"op\":\"remove\",\"path\":\"/nope\"}]", "[{\"op\":\"replace\",\"path\":\"/a/b\",\"value\":1}]",
                "[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/x\"}]"}) {
            assertThatThrownBy(() -> Patches.jsonPatch(Json.object(), json(patch))).as(patch)
                    .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422));
        }
    }

    @Test
    void malformedJsonPatchesAreClientErrors() {
        assertThatThrownBy(() -> Patches.jsonPatch(Json.object(), json("{\"op\":\"add\"}")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> Patches.jsonPatch(Json.object(), json("[{\"path\":\"/a\"}]")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isBetween(400, 422));
    }

    @Test
    void aJsonPatchMayNotReplaceTheWholeObjectWithANonObject() {
        assertThatThrownBy(() -> Patches.jsonPatch(Json.object(), json("[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }
}
