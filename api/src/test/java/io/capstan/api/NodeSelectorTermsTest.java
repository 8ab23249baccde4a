package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectorTermsTest {

    static final Map<String, String> LABELS = Map.of("zone", "a", "cores", "16");

    @Test
    void termsAreOredAndRequirementsOfATermAnded() throws Exception {
        JsonNode terms = Json.MAPPER.readTree("""
                [{"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]},
                 {"matchExpressions":[{"key":"zone","operator":"In","values":["a"]},{"key":"cores","operator":"Gt","values":["8"]}]}]""");

        assertThat(NodeSelectorTerms.anyMatches(terms, "n1", LABELS)).isTrue();
        assertThat(NodeSelectorTerms.anyMatches(terms, "n1", Map.of("zone", "a", "cores", "4"))).isFalse();
    }

    @Test
    void matchFieldsReadTheNodeName() throws Exception {
        JsonNode term = Json.MAPPER.readTree("{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n1\"]}]}");

        assertThat(NodeSelectorTerms.termMatches(term, "n1", LABELS)).isTrue();
        assertThat(NodeSelectorTerms.termMatches(term, "n2", LABELS)).isFalse();
    }

    @Test
    void anEmptyTermOrNoTermsMatchNothing() throws Exception {
        assertThat(NodeSelectorTerms.termMatches(Json.object(), "n1", LABELS)).isFalse();
        assertThat(NodeSelectorTerms.anyMatches(Json.array(), "n1", LABELS)).isFalse();
    }

    @Test
    void existenceAndAbsenceOperators() throws Exception {
        JsonNode term = Json.MAPPER.readTree("""
                {"matchExpressions":[{"key":"zone","operator":"Exists"},{"key":"gpu","operator":"DoesNotExist"},
                                     {"key":"zone","operator":"NotIn","values":["b"]},{"key":"cores","operator":"Lt","values":["32"]}]}""");

        assertThat(NodeSelectorTerms.termMatches(term, "n1", LABELS)).isTrue();
        assertThat(NodeSelectorTerms.termMatches(term, "n1", Map.of("zone", "a", "gpu", "1", "cores", "16"))).isFalse();
    }
}
