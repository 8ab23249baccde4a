package io.capstan.api.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathElementTest {

    @Test
    void serializedFormsReadBack() {
        for (String s : List.of("f:name", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}", "v:\"x\"", "v:3", "i:2")) {
            assertThat(PathElement.parse(s).serialize()).isEqualTo(s);
        }
    }

    @Test
    void keysAreSortedByFieldName() {
        PathElement k = PathElement.key(List.of(Map.entry("protocol", Json.MAPPER.getNodeFactory().textNode("TCP")),
                Map.entry("containerPort", Json.MAPPER.getNodeFactory().numberNode(80))));
        assertThat(k.serialize()).isEqualTo("k:{\"containerPort\":80,\"protocol\":\"TCP\"}");
        assertThat(k.display()).isEqualTo("[containerPort=80,protocol=\"TCP\"]");
    }

    @Test
    void fieldsSortBeforeKeysBeforeValuesBeforeIndexes() {
        List<PathElement> sorted = new java.util.ArrayList<>(List.of(PathElement.parse("i:0"), PathElement.parse("v:\"a\""),
                PathElement.parse("k:{\"name\":\"a\"}"), PathElement.parse("f:b"), PathElement.parse("f:a")));
        java.util.Collections.sort(sorted);
        assertThat(sorted.stream().map(PathElement::serialize))
                .containsExactly("f:a", "f:b", "k:{\"name\":\"a\"}", "v:\"a\"", "i:0");
    }
}
