package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();

    @Test
    void everyKindSelectsByNameAndNamespace() throws Exception {
        JsonNode cm = json("{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"}}");
        assertThat(parse("configmaps", "metadata.name=a").matches(cm)).isTrue();
        assertThat(parse("configmaps", "metadata.name==a").matches(cm)).isTrue();
        assertThat(parse("configmaps", "metadata.name!=a").matches(cm)).isFalse();
        assertThat(parse("configmaps", "metadata.namespace=ns,metadata.name=b").matches(cm)).isFalse();
        assertThat(parse("configmaps", "").isEverything()).isTrue();
    }

    @Test
    void podsSelectByNodePhaseAndTheirOtherFields() throws Exception {
        JsonNode pod = json("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Running\","
                + "\"podIPs\":[{\"ip\":\"10.0.0.2\"},{\"ip\":\"fd00::2\"}]}}");
        assertThat(parse("pods", "spec.nodeName=n1,status.phase=Running").matches(pod)).isTrue();
        assertThat(parse("pods", "spec.nodeName=").matches(pod)).isFalse();
        assertThat(parse("pods", "spec.nodeName=").matches(json("{\"spec\":{}}"))).as("unscheduled pods have an empty node").isTrue();
        assertThat(parse("pods", "spec.host=n1").matches(pod)).as("the old name of spec.nodeName").isTrue();
        assertThat(parse("pods", "spec.hostNetwork=false").matches(pod)).as("absent booleans are false").isTrue();
        assertThat(parse("pods", "status.podIPs=10.0.0.2").matches(pod)).isTrue();
    }

    @Test
    void eventsSelectByTheirInvolvedObject() throws Exception {
        JsonNode event = json("{\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"uid\":\"u1\"},\"source\":{\"component\":\"kubelet\"},"
                + "\"type\":\"Warning\",\"reason\":\"BackOff\"}");
        assertThat(parse("events", "involvedObject.name=p,involvedObject.kind=Pod,involvedObject.uid=u1").matches(event)).isTrue();
        assertThat(parse("events", "source=kubelet,type=Warning,reason=BackOff").matches(event)).isTrue();
        assertThat(parse("events", "involvedObject.name=q").matches(event)).isFalse();
        JsonNode newEvent = json("{\"regarding\":{\"kind\":\"Pod\",\"name\":\"p\"},\"reportingController\":\"capstan.io/x\"}");
        assertThat(TYPES.find("events.k8s.io", "v1", "events").map(t -> FieldSelector.parse("regarding.name=p,reportingController=capstan.io/x", t)
                .matches(newEvent)).orElseThrow()).isTrue();
    }

    @Test
    void numericFieldsCompareAsTheirZeroWhenAbsent() throws Exception {
        ResourceType replicaSets = TYPES.find("apps", "v1", "replicasets").orElseThrow();
        assertThat(FieldSelector.parse("status.replicas=0", replicaSets).matches(json("{}"))).isTrue();
        assertThat(FieldSelector.parse("status.replicas=2", replicaSets).matches(json("{\"status\":{\"replicas\":2}}"))).isTrue();
        ResourceType jobs = TYPES.find("batch", "v1", "jobs").orElseThrow();
        assertThat(FieldSelector.parse("status.successful=1", jobs).matches(json("{\"status\":{\"succeeded\":1}}"))).isTrue();
        assertThat(parse("nodes", "spec.unschedulable=true").matches(json("{\"spec\":{\"unschedulable\":true}}"))).isTrue();
        assertThat(parse("nodes", "spec.unschedulable=false").matches(json("{\"spec\":{}}"))).isTrue();
        assertThat(parse("secrets", "type=Opaque").matches(json("{\"type\":\"Opaque\"}"))).isTrue();
        assertThat(parse("services", "spec.type=ClusterIP").matches(json("{\"spec\":{\"type\":\"ClusterIP\"}}"))).isTrue();
    }

    @Test
    void kindsWithAConversionRefuseOtherFieldsAsNotSupported() {
        assertBad("pods", "spec.nope=1", "field label not supported: spec.nope");
        assertBad("nodes", "metadata.namespace=x", "field label not supported: metadata.namespace");
        assertBad("namespaces", "spec.finalizers=x", "field label not supported: spec.finalizers");
        assertBad("events", "involvedObject.colour=red", "field label not supported: involvedObject.colour");
    }

    @Test
    void kindsWithoutAConversionNameTheTwoFieldsTheyKnow() {
        assertBad("configmaps", "data.a=1", "\"data.a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }

    @Test
    void malformedSelectorsAreBadRequests() {
        assertBad("pods", "spec.nodeName", "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
        assertBad("pods", "spec.nodeName=a=b", "invalid field selector: unescaped character in value: 61");
        assertBad("pods", "spec.nodeName=a\\x", "invalid field selector: invalid escape sequence: \\x");
    }

    @Test
    void escapedCommasAndEqualsAreData() throws Exception {
        JsonNode cm = json("{\"metadata\":{\"name\":\"a,b=c\"}}");
        assertThat(parse("configmaps", "metadata.name=a\\,b\\=c").matches(cm)).isTrue();
    }

    @Test
    void theFirstBadFieldInSortedOrderIsReported() {
        assertBad("pods", "zz=1,aa=2", "field label not supported: aa");
    }

    private static FieldSelector parse(String plural, String selector) {
        return FieldSelector.parse(selector, TYPES.find("", "v1", plural).orElseThrow());
    }

    private static void assertBad(String plural, String selector, String message) {
        assertThatThrownBy(() -> parse(plural, selector)).as(selector).isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }
}
