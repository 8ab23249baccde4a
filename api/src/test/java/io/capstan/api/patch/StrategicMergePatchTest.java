package io.capstan.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.api.schema.Shape;
import io.capstan.api.schema.Shapes;
import io.capstan.api.schema.TypeRules;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** Cases chosen from Kubernetes' documented strategic merge patch semantics (strategicpatch/patch_test.go). */
class StrategicMergePatchTest {

    static final TypeRules RULES = new TypeRules()
            .mergeByKey("MergeItem.mergingList", "name")
            .mergeSet("MergeItem.mergingIntList")
            .strategy("MergeItem.replacingItem", "replace")
            .strategy("MergeItem.retainKeysMap", "retainKeys")
            .mergeByKeyRetainKeys("MergeItem.retainKeysMergingList", "name")
            .mergeSet("RetainKeysMergeItem.mergingIntList")
            .mergeByKey("RetainKeysMergeItem.mergingList", "name");
    static final Shape MERGE_ITEM = new Shapes(RULES).of(MergeItem.class);

    private static ObjectNode yaml(String text) {
        try {
            JsonNode node = Json.YAML.readTree(text);
            return node == null || node.isMissingNode() || node.isNull() ? Json.object() : (ObjectNode) node;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode patch(String original, String patch) {
        return StrategicMergePatch.apply(yaml(original), yaml(patch), MERGE_ITEM);
    }

    @Test
    void mergingListsMergeItemsByTheirKeyAndKeepTheRest() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                    value: 1
                  - name: 2
                    other: b
                """, """
                mergingList:
                  - name: 2
                    value: 2
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 1
                    value: 1
                  - name: 2
                    other: b
                    value: 2
                """));
    }

    @Test
    void patchDeleteDirectiveRemovesTheItemWithThatKey() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                  - name: 2
                    value: 2
                """, """
                mergingList:
                  - name: 1
                    $patch: delete
                  - name: 3
                    $patch: delete
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 2
                    value: 2
                """));
    }

    @Test
    void nullDeletesAFieldOfAnItemInAMergingList() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                    value: 1
                    other: a
                """, """
                mergingList:
                  - name: 1
                    value: null
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 1
                    other: a
                """));
    }

    @Test
    void nonMergingListNestedInAMergingListIsReplacedWhole() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                    nonMergingList:
                      - name: 1
                      - name: 2
                        value: 2
                """, """
                mergingList:
                  - name: 1
                    nonMergingList:
                      - name: 1
                        value: 1
                """);
        assertThat(result.at("/mergingList/0/nonMergingList")).isEqualTo(yaml("""
                l:
                  - name: 1
                    value: 1
                """).get("l"));
    }

    @Test
    void mergingListsOfScalarsAreUnitedWithoutDuplicates() {
        ObjectNode result = patch("mergingIntList: [1, 2]", "mergingIntList: [2, 3]");
        assertThat(result).isEqualTo(yaml("mergingIntList: [1, 2, 3]"));
        assertThat(patch("nonMergingIntList: [1, 2]", "nonMergingIntList: [2, 3]"))
                .isEqualTo(yaml("nonMergingIntList: [2, 3]"));
    }

    @Test
    void deleteFromPrimitiveListRemovesItemsAndNeverAddsTheList() {
        assertThat(patch("mergingIntList: [1, 2, 3]", "$deleteFromPrimitiveList/mergingIntList: [2, 4]"))
                .isEqualTo(yaml("mergingIntList: [1, 3]"));
        assertThat(patch("name: a", "$deleteFromPrimitiveList/mergingIntList: [2]")).isEqualTo(yaml("name: a"));
        assertThat(patch("nonMergingIntList: [1, 2]", "$deleteFromPrimitiveList/nonMergingIntList: [1]"))
                .isEqualTo(yaml("nonMergingIntList: [2]"));
    }

    @Test
    void setElementOrderPlacesAnAddedItemWhereTheManifestHasIt() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                    other: a
                  - name: 2
                    value: 2
                    other: b
                """, """
                $setElementOrder/mergingList:
                  - name: 1
                  - name: 4
                  - name: 2
                  - name: 3
                mergingList:
                  - name: 4
                    value: 4
                  - name: 3
                    value: 3
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 1
                    other: a
                  - name: 4
                    value: 4
                  - name: 2
                    value: 2
                    other: b
                  - name: 3
                    value: 3
                """));
    }

    @Test
    void setElementOrderReordersAndDeletes() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                    other: a
                  - name: 2
                    value: 2
                  - name: 3
                    value: 3
                """, """
                $setElementOrder/mergingList:
                  - name: 2
                  - name: 1
                mergingList:
                  - name: 3
                    $patch: delete
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 2
                    value: 2
                  - name: 1
                    other: a
                """));
    }

    @Test
    void setElementOrderOfScalarsOrdersAMergingIntList() {
        ObjectNode result = patch("mergingIntList: [1, 2]", """
                $setElementOrder/mergingIntList: [3, 1, 2]
                mergingIntList: [3]
                """);
        assertThat(result).isEqualTo(yaml("mergingIntList: [3, 1, 2]"));
    }

    @Test
    void withoutSetElementOrderNewItemsGoFirst() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                  - name: 2
                """, """
                mergingList:
                  - name: 3
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 3
                  - name: 1
                  - name: 2
                """));
    }

    @Test
    void setElementOrderOutOfStepWithThePatchListIsRefused() {
        assertThatThrownBy(() -> patch("mergingList: [{name: 1}]", """
                $setElementOrder/mergingList: [{name: 1}, {name: 2}]
                mergingList: [{name: 2}, {name: 1}]
                """)).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(500))
                .hasMessageContaining("doesn't match $setElementOrder list");
    }

    @Test
    void replaceDirectiveReplacesAListWhole() {
        ObjectNode result = patch("""
                mergingList:
                  - name: 1
                  - name: 2
                """, """
                mergingList:
                  - name: 3
                    value: 3
                  - $patch: replace
                """);
        assertThat(result).isEqualTo(yaml("""
                mergingList:
                  - name: 3
                    value: 3
                """));
    }

    @Test
    void replaceAndDeleteDirectivesOnMaps() {
        assertThat(patch("simpleMap: {a: '1', b: '2'}", "simpleMap: {c: '3', $patch: replace}"))
                .isEqualTo(yaml("simpleMap: {c: '3'}"));
        assertThat(patch("simpleMap: {a: '1'}\nname: x", "simpleMap: {$patch: delete}"))
                .isEqualTo(yaml("simpleMap: {}\nname: x"));
        assertThat(patch("simpleMap: {a: '1', b: '2'}", "simpleMap: {a: null, c: '3'}"))
                .isEqualTo(yaml("simpleMap: {b: '2', c: '3'}"));
    }

    @Test
    void replaceStrategyReplacesAMapWhole() {
        assertThat(patch("replacingItem: {a: 1, b: 2}", "replacingItem: {c: 3}")).isEqualTo(yaml("replacingItem: {c: 3}"));
    }

    @Test
    void retainKeysClearsFieldsTheDirectiveDoesNotName() {
        ObjectNode result = patch("""
                retainKeysMap:
                  name: foo
                  value: bar
                  other: x
                """, """
                retainKeysMap:
                  $retainKeys: [name, value]
                  value: baz
                """);
        assertThat(result).isEqualTo(yaml("""
                retainKeysMap:
                  name: foo
                  value: baz
                """));
    }

    @Test
    void retainKeysMustNameEveryFieldThePatchSets() {
        assertThatThrownBy(() -> patch("retainKeysMap: {name: foo}", """
                retainKeysMap:
                  $retainKeys: [name]
                  value: baz
                """)).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessage("invalid patch format of retainKeys");
    }

    @Test
    void retainKeysInAMergingListItem() {
        ObjectNode result = patch("""
                retainKeysMergingList:
                  - name: 1
                    value: a
                    other: b
                """, """
                retainKeysMergingList:
                  - name: 1
                    $retainKeys: [name, other]
                    other: c
                """);
        assertThat(result).isEqualTo(yaml("""
                retainKeysMergingList:
                  - name: 1
                    other: c
                """));
    }

    @Test
    void anItemWithoutTheMergeKeyIsAnError() {
        assertThatThrownBy(() -> patch("mergingList: [{name: 1}]", "mergingList: [{value: 1}]"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(500))
                .hasMessageContaining("does not contain declared merge key: name");
    }

    @Test
    void listsOfListsAreRefused() {
        assertThatThrownBy(() -> patch("mergingIntList: [[1]]", "mergingIntList: [[2]]"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void newValuesLoseTheirNullsAndDirectives() {
        ObjectNode result = patch("name: a", """
                mergingList:
                  - name: 1
                    value: null
                simpleMap: {a: '1', b: null}
                """);
        assertThat(result).isEqualTo(yaml("""
                name: a
                mergingList:
                  - name: 1
                simpleMap: {a: '1'}
                """));
    }

    private static final Shape DEPLOYMENT = Shapes.BUILTIN.of(Deployment.class);

    private static ObjectNode deployment() {
        return yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  finalizers: [a]
                spec:
                  replicas: 2
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 1}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      tolerations:
                        - key: a
                          operator: Exists
                      containers:
                        - name: c
                          image: img:1
                          ports:
                            - containerPort: 80
                          env:
                            - name: A
                              value: "1"
                        - name: sidecar
                          image: side:1
                """);
    }

    @Test
    void setImagePatchChangesOneContainerOfADeployment() {
        ObjectNode result = StrategicMergePatch.apply(deployment(),
                yaml("spec: {template: {spec: {containers: [{name: c, image: 'img:2'}]}}}"), DEPLOYMENT);
        assertThat(result.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("img:2");
        assertThat(result.at("/spec/template/spec/containers/0/env/0/name").asText()).isEqualTo("A");
        assertThat(result.at("/spec/template/spec/containers/1/image").asText()).isEqualTo("side:1");
        assertThat(result.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void builtinListsFollowTheirKubernetesStrategies() {
        ObjectNode result = StrategicMergePatch.apply(deployment(), yaml("""
                metadata:
                  finalizers: [b]
                spec:
                  template:
                    spec:
                      tolerations:
                        - key: b
                          operator: Exists
                      containers:
                        - name: c
                          env:
                            - name: B
                              value: "2"
                          ports:
                            - containerPort: 8080
                """), DEPLOYMENT);
        // Without $setElementOrder, what the patch adds goes before what the server had, as in Kubernetes.
        assertThat(result.at("/metadata/finalizers")).isEqualTo(yaml("l: [b, a]").get("l"));
        assertThat(result.at("/spec/template/spec/tolerations")).hasSize(1);
        assertThat(result.at("/spec/template/spec/tolerations/0/key").asText()).isEqualTo("b");
        assertThat(result.at("/spec/template/spec/containers/0/env")).hasSize(2);
        assertThat(result.at("/spec/template/spec/containers/0/ports")).hasSize(2);
    }

    @Test
    void retainKeysOnTheDeploymentStrategyDropsRollingUpdate() {
        ObjectNode result = StrategicMergePatch.apply(deployment(),
                yaml("spec: {strategy: {$retainKeys: [type], type: Recreate}}"), DEPLOYMENT);
        assertThat(result.at("/spec/strategy")).isEqualTo(yaml("type: Recreate"));
    }

    @Test
    void servicePortsMergeByPort() {
        ObjectNode svc = yaml("spec: {ports: [{port: 80, name: http}, {port: 443, name: https}]}");
        ObjectNode result = StrategicMergePatch.apply(svc, yaml("spec: {ports: [{port: 443, targetPort: 8443}]}"),
                Shapes.BUILTIN.of(Service.class));
        assertThat(result.at("/spec/ports/1")).isEqualTo(yaml("{port: 443, name: https, targetPort: 8443}"));
        assertThat(result.at("/spec/ports/0/name").asText()).isEqualTo("http");
    }

    @Test
    void conditionsMergeByTypeAndOwnerReferencesByUid() {
        ObjectNode pod = yaml("""
                metadata:
                  ownerReferences: [{uid: u1, name: a, kind: ReplicaSet, apiVersion: apps/v1}]
                status:
                  conditions: [{type: Ready, status: "False"}, {type: Initialized, status: "True"}]
                """);
        ObjectNode result = StrategicMergePatch.apply(pod, yaml("""
                metadata:
                  ownerReferences: [{uid: u2, name: b, kind: ReplicaSet, apiVersion: apps/v1}]
                status:
                  conditions: [{type: Ready, status: "True"}]
                """), Shapes.BUILTIN.of(io.fabric8.kubernetes.api.model.Pod.class));
        assertThat(result.at("/metadata/ownerReferences")).hasSize(2);
        assertThat(result.at("/status/conditions")).hasSize(2);
        assertThat(result.at("/status/conditions/0")).isEqualTo(yaml("{type: Ready, status: 'True'}"));
    }

    @Test
    void nullForAnAbsentFieldChangesNothing() {
        assertThat(patch("name: a", "value: null")).isEqualTo(yaml("name: a"));
    }

    @Test
    void kubectlApplyRemovingAFinalizerKeepsTheOthersInOrder() {
        ObjectNode result = StrategicMergePatch.apply(yaml("metadata: {finalizers: [a, b, c]}"), yaml("""
                metadata:
                  $setElementOrder/finalizers: [a, c]
                  $deleteFromPrimitiveList/finalizers: [b]
                """), DEPLOYMENT);
        assertThat(result).isEqualTo(yaml("metadata: {finalizers: [a, c]}"));
    }

    @Test
    void aDeleteDirectiveWithoutTheMergeKeyIsAnError() {
        assertThatThrownBy(() -> patch("mergingList: [{name: 1}]", "mergingList: [{value: 1, $patch: delete}]"))
                .hasMessageContaining("does not contain declared merge key: name");
    }

    @Test
    void unknownDirectivesAreRefused() {
        assertThatThrownBy(() -> patch("simpleMap: {a: '1'}", "simpleMap: {$patch: explode}"))
                .hasMessageContaining("unknown patch type: explode");
    }
}
