package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "replicas", "3");
    private static final Map<String, String> DB = Map.of("app", "db");
    private static final Map<String, String> NONE = Map.of();

    @Test
    void equalityOperatorsMatchOnValue() {
        assertMatches("app=web", true, false, false);
        assertMatches("app==web", true, false, false);
        assertMatches("app!=web", false, true, true);
    }

    @Test
    void setOperatorsMatchOnMembership() {
        assertMatches("app in (web,db)", true, true, false);
        assertMatches("app in (cache)", false, false, false);
        assertMatches("app notin (web)", false, true, true);
    }

    @Test
    void existenceOperatorsLookOnlyAtTheKey() {
        assertMatches("tier", true, false, false);
        assertMatches("!tier", false, true, true);
        assertMatches(" ! tier ", false, true, true);
    }

    @Test
    void allRequirementsMustHold() {
        assertMatches("app=web,tier", true, false, false);
        assertMatches("app in (web,db),!tier", false, true, false);
        assertMatches("app=web,tier=back", false, false, false);
    }

    @Test
    void greaterAndLessCompareIntegers() {
        assertMatches("replicas>2", true, false, false);
        assertMatches("replicas<3", false, false, false);
        assertThat(LabelSelector.parse("app>1").matches(WEB)).isFalse();
    }

    @Test
    void emptySelectorsSelectEverything() {
        assertThat(LabelSelector.parse("").isEverything()).isTrue();
        assertThat(LabelSelector.parse(null).matches(NONE)).isTrue();
    }

    @Test
    void keywordsAndEmptyEntriesAreValuesInsideSets() {
        LabelSelector s = LabelSelector.parse("x in (in,,notin)");
        assertThat(s.matches(Map.of("x", "in"))).isTrue();
        assertThat(s.matches(Map.of("x", ""))).isTrue();
        assertThat(s.matches(Map.of("x", "notin"))).isTrue();
        assertThat(LabelSelector.parse("x in ()").matches(Map.of("x", ""))).isTrue();
        assertThat(LabelSelector.parse("x=").matches(Map.of("x", ""))).isTrue();
    }

    @Test
    void printsCanonicallySortedByKey() {
        assertThat(LabelSelector.parse("z=1,a in (c,b),!m,k").toString()).isEqualTo("a in (b,c),k,!m,z=1");
    }

    @Test
    void syntaxErrorsAreBadRequestsWithApimachineryMessages() {
        assertBad("a in (b", "unable to parse requirement: found '', expected: ',' or ')'");
        assertBad("app=foo bar", "found 'bar', expected: ',' or 'end of string'");
        assertBad("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
        assertBad(",a", "found ',', expected: !, identifier, or 'end of string'");
        assertBad("a,", "found '', expected: identifier after ','");
        assertBad("!", "unable to parse requirement: found '', expected: identifier");
        assertBad("a in b", "unable to parse requirement: found 'b' expected: '('");
        assertBad("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier");
        assertBad("a=(", "unable to parse requirement: found '(', expected: identifier");
    }

    @Test
    void invalidKeysAndValuesAreBadRequestsWithValidationMessages() {
        assertBad("-a", "unable to parse requirement: <nil>: Invalid value: \"-a\": " + LabelRules.QUALIFIED_NAME_MESSAGE);
        assertBad("a=-b", "unable to parse requirement: values[0][a]: Invalid value: \"-b\": " + LabelRules.LABEL_VALUE_MESSAGE);
        assertBad("a in (x,-y)", "unable to parse requirement: values[0][a]: Invalid value: \"-y\": " + LabelRules.LABEL_VALUE_MESSAGE);
        assertBad("a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  "
                + "or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an "
                + "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        assertBad("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer");
    }

    @Test
    void objectSelectorsFollowMetav1Semantics() throws Exception {
        assertThat(LabelSelector.fromJson(null).matches(WEB)).isFalse();
        assertThat(LabelSelector.fromJson(json("{}")).matches(WEB)).isTrue();
        LabelSelector s = LabelSelector.fromJson(json("""
                {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["front","back"]},
                 {"key":"canary","operator":"DoesNotExist"}]}"""));
        assertThat(s.matches(WEB)).isTrue();
        assertThat(s.matches(Map.of("app", "web", "tier", "front", "canary", "yes"))).isFalse();
        assertThat(s.toString()).isEqualTo("app=web,!canary,tier in (back,front)");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Near\"}]}")))
                .hasMessage("\"Near\" is not a valid label selector operator");
    }

    @Test
    void matchesTheLabelsOfAnObject() throws Exception {
        JsonNode pod = json("{\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
        assertThat(LabelSelector.parse("app=web").matches(pod)).isTrue();
        assertThat(LabelSelector.parse("app=db").matches(pod)).isFalse();
        assertThat(LabelSelector.parse("!app").matches(json("{\"metadata\":{}}"))).isTrue();
    }

    private static void assertMatches(String selector, boolean web, boolean db, boolean none) {
        LabelSelector s = LabelSelector.parse(selector);
        assertThat(s.matches(WEB)).as(selector + " on web").isEqualTo(web);
        assertThat(s.matches(DB)).as(selector + " on db").isEqualTo(db);
        assertThat(s.matches(NONE)).as(selector + " on no labels").isEqualTo(none);
    }

    private static void assertBad(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).as(selector).isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo("BadRequest");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }
}
