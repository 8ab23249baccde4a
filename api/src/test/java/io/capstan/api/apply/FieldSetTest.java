package io.capstan.api.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.schema.Shape;
import io.capstan.api.schema.Shapes;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    private static final Shape POD = Shapes.BUILTIN.of(Pod.class);

    private static ObjectNode yaml(String text) {
        return FieldManagerTest.yaml(text);
    }

    @Test
    void setsOfScalarsAreOwnedItemByItem() {
        FieldSet set = TypedValues.fieldsOf(yaml("metadata: {finalizers: [a, b]}"), POD);
        assertThat(set.toJson()).isEqualTo(yaml("{\"f:metadata\": {\"f:finalizers\": {\"v:\\\"a\\\"\": {}, \"v:\\\"b\\\"\": {}}}}"));
    }

    @Test
    void atomicListsAndStructsAreOneField() {
        FieldSet set = TypedValues.fieldsOf(yaml("""
                spec:
                  tolerations: [{key: a, operator: Exists}]
                  containers:
                    - name: c
                      env:
                        - name: A
                          valueFrom: {fieldRef: {fieldPath: metadata.name}}
                """), POD);
        assertThat(set.has(List.of(PathElement.field("spec"), PathElement.field("tolerations")))).isTrue();
        assertThat(set.toJson().at("/f:spec/f:containers/k:{\"name\":\"c\"}/f:env/k:{\"name\":\"A\"}/f:valueFrom/f:fieldRef"))
                .isEqualTo(Json.object());
    }

    @Test
    void compareFindsAddedModifiedAndRemovedFields() {
        TypedValues.Comparison c = TypedValues.compare(
                yaml("spec: {hostname: a, subdomain: s, containers: [{name: c, image: x}]}"),
                yaml("spec: {hostname: b, nodeName: n, containers: [{name: c, image: x}, {name: d}]}"), POD);
        assertThat(c.modified().toJson()).isEqualTo(yaml("{\"f:spec\": {\"f:hostname\": {}}}"));
        assertThat(c.removed().toJson()).isEqualTo(yaml("{\"f:spec\": {\"f:subdomain\": {}}}"));
        assertThat(c.added().toJson()).isEqualTo(yaml(
                "{\"f:spec\": {\"f:nodeName\": {}, \"f:containers\": {\"k:{\\\"name\\\":\\\"d\\\"}\": {\".\": {}, \"f:name\": {}}}}}"));
    }

    @Test
    void mergeKeepsItemsOfBothListsAndTheAppliedValuesWin() {
        ObjectNode merged = (ObjectNode) TypedValues.merge(
                yaml("spec: {containers: [{name: a, image: x, tty: true}, {name: b}]}"),
                yaml("spec: {containers: [{name: a, image: y}, {name: c}]}"), POD);
        assertThat(merged).isEqualTo(yaml("spec: {containers: [{name: a, image: y, tty: true}, {name: b}, {name: c}]}"));
    }

    @Test
    void setAlgebra() {
        FieldSet a = TypedValues.fieldsOf(yaml("spec: {hostname: a, subdomain: s}"), POD);
        FieldSet b = TypedValues.fieldsOf(yaml("spec: {hostname: a, nodeName: n}"), POD);
        assertThat(a.intersection(b).toJson()).isEqualTo(yaml("{\"f:spec\": {\"f:hostname\": {}}}"));
        assertThat(a.difference(b).toJson()).isEqualTo(yaml("{\"f:spec\": {\"f:subdomain\": {}}}"));
        assertThat(a.union(b).paths()).hasSize(3);
        assertThat(ApplyConflict.display(a.paths().getFirst())).isEqualTo(".spec.hostname");
    }
}
