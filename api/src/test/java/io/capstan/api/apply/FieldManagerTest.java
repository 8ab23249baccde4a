package io.capstan.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.api.schema.Shapes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldManagerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final FieldManager fields = new FieldManager(Shapes.BUILTIN.of(Deployment.class), "apps/v1", "", true);

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: c
                      image: img:1
                      ports:
                        - containerPort: 80
                    - name: sidecar
                      image: side:1
            """;

    /** An applied configuration that sets only the replicas of "web". */
    private static ObjectNode replicas(int n) {
        return yaml("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: " + n + "}");
    }

    private static JsonNode entry(ObjectNode obj, String manager) {
        for (JsonNode e : obj.at("/metadata/managedFields")) {
            if (e.path("manager").asText().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void applyRecordsTheAppliedFieldsInKubernetesFormat() {
        ObjectNode obj = fields.apply(null, yaml(WEB), "kubectl", false, T0);
        JsonNode e = entry(obj, "kubectl");
        assertThat(e.path("operation").asText()).isEqualTo("Apply");
        assertThat(e.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(e.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(e.path("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(e.get("fieldsV1")).isEqualTo(Json.YAML.valueToTree(yaml("""
                f:metadata:
                  f:labels:
                    f:app: {}
                f:spec:
                  f:replicas: {}
                  f:selector: {}
                  f:template:
                    f:metadata:
                      f:labels:
                        f:app: {}
                    f:spec:
                      f:containers:
                        k:{"name":"c"}:
                          .: {}
                          f:image: {}
                          f:name: {}
                          f:ports:
                            k:{"containerPort":80,"protocol":"TCP"}:
                              .: {}
                              f:containerPort: {}
                        k:{"name":"sidecar"}:
                          .: {}
                          f:image: {}
                          f:name: {}
                """)));
        assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void fieldSetsRoundTripThroughFieldsV1() {
        ObjectNode obj = fields.apply(null, yaml(WEB), "kubectl", false, T0);
        JsonNode json = entry(obj, "kubectl").get("fieldsV1");
        assertThat(FieldSet.fromJson(json).toJson()).isEqualTo(json);
    }

    @Test
    void updatesRecordTheFieldsTheyChangedAndTakeThemFromOthers() {
        ObjectNode created = fields.update(null, yaml(WEB), "kubectl-client-side-apply", T0);
        ObjectNode scaled = created.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        ObjectNode after = fields.update(created, scaled, "kubectl-scale", T0.plusSeconds(60));
        JsonNode scale = entry(after, "kubectl-scale");
        assertThat(scale.path("operation").asText()).isEqualTo("Update");
        assertThat(scale.get("fieldsV1")).isEqualTo(yaml("{\"f:spec\": {\"f:replicas\": {}}}"));
        assertThat(entry(after, "kubectl-client-side-apply").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isTrue();
        assertThat(entry(after, "kubectl-client-side-apply").at("/fieldsV1/f:metadata/f:labels/.").isMissingNode()).isFalse();
    }

    @Test
    void objectsWithoutManagedFieldsStayUntrackedByUpdates() {
        ObjectNode live = yaml(WEB);
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("spec")).put("replicas", 3);
        assertThat(fields.update(live, next, "x", T0).at("/metadata/managedFields").isMissingNode()).isTrue();
    }

    @Test
    void applyingAFieldAnotherManagerOwnsIsAConflictNamingManagerAndField() {
        ObjectNode created = fields.update(null, yaml(WEB), "kubectl-client-side-apply", T0);
        ObjectNode config = replicas(3);
        assertThatThrownBy(() -> fields.apply(created, config, "other", false, T0))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
                    assertThat(e.causes()).singleElement().satisfies(c -> {
                        assertThat(c.type().reason()).isEqualTo("FieldManagerConflict");
                        assertThat(c.field()).isEqualTo(".spec.replicas");
                        assertThat(c.body()).isEqualTo("conflict with \"kubectl-client-side-apply\" using apps/v1");
                    });
                });
    }

    @Test
    void applyingTheSameValueSharesOwnershipWithoutConflict() {
        ObjectNode created = fields.update(null, yaml(WEB), "creator", T0);
        ObjectNode config = replicas(2);
        ObjectNode obj = fields.apply(created, config, "other", false, T0);
        assertThat(entry(obj, "other").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isFalse();
        assertThat(entry(obj, "creator").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isFalse();
    }

    @Test
    void forceTakesOwnershipOfConflictingFields() {
        ObjectNode first = fields.apply(null, yaml(WEB), "a", false, T0);
        ObjectNode config = replicas(7);
        assertThatThrownBy(() -> fields.apply(first, config, "b", false, T0))
                .hasMessage("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas");
        ObjectNode forced = fields.apply(first, config, "b", true, T0);
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(7);
        assertThat(entry(forced, "a").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isTrue();
        assertThat(entry(forced, "b").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isFalse();
    }

    @Test
    void severalConflictsAreListedByManager() {
        ObjectNode first = fields.apply(null, yaml(WEB), "a", false, T0);
        ObjectNode config = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app: other}}
                spec:
                  replicas: 7
                """);
        assertThatThrownBy(() -> fields.apply(first, config, "b", false, T0))
                .hasMessage("Apply failed with 2 conflicts: conflicts with \"a\":\n- .metadata.labels.app\n- .spec.replicas");
    }

    @Test
    void fieldsNoLongerAppliedAreRemovedUnlessSomeoneElseOwnsThem() {
        ObjectNode first = fields.apply(null, yaml(WEB), "kubectl", false, T0);
        // someone else sets an annotation and the sidecar's image
        ObjectNode edited = first.deepCopy();
        Json.with(edited, "metadata", "annotations").put("note", "x");
        ((ObjectNode) edited.at("/spec/template/spec/containers/0")).put("imagePullPolicy", "Always");
        ObjectNode live = fields.update(first, edited, "kubectl-edit", T0);
        ObjectNode second = fields.apply(live, yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                        - name: c
                          image: img:1
                """), "kubectl", false, T0);
        assertThat(second.at("/spec/replicas").isMissingNode()).isTrue();
        assertThat(second.at("/metadata/labels").isMissingNode()).isTrue();
        assertThat(second.at("/spec/template/spec/containers")).hasSize(1);
        assertThat(second.at("/spec/template/spec/containers/0/ports").isMissingNode()).isTrue();
        assertThat(second.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(second.at("/metadata/annotations/note").asText()).isEqualTo("x");
    }

    @Test
    void kubectlMayTakeOverFieldsItsClientSideApplySetUnchanged() {
        ObjectNode manifest = yaml(WEB);
        Json.with(manifest, "metadata", "annotations").put("kubectl.kubernetes.io/last-applied-configuration", Json.string(yaml(WEB)));
        ObjectNode created = fields.update(null, manifest, "kubectl-client-side-apply", T0);
        ObjectNode config = yaml(WEB);
        ((ObjectNode) config.get("spec")).put("replicas", 4);
        ObjectNode obj = fields.apply(created, config, "kubectl", false, T0);
        assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(obj.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText()).contains("\"replicas\":4");
    }

    @Test
    void anApplyOfAnotherVersionIsRefused() {
        ObjectNode config = yaml("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: web}");
        assertThatThrownBy(() -> fields.apply(null, config, "kubectl", false, T0))
                .hasMessage("Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1");
    }

    @Test
    void applyOfAnUntrackedObjectFirstGivesItsFieldsToBeforeFirstApply() {
        ObjectNode obj = fields.apply(yaml(WEB), replicas(9), "kubectl", true, T0);
        assertThat(entry(obj, "before-first-apply")).isNotNull();
        assertThat(entry(obj, "before-first-apply").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isTrue();
        assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(9);
    }

    @Test
    void theMainResourceOwnsNoStatusAndTheStatusSubresourceNoSpec() {
        ObjectNode config = yaml(WEB);
        Json.with(config, "status").put("replicas", 1);
        ObjectNode obj = fields.apply(null, config, "kubectl", false, T0);
        assertThat(entry(obj, "kubectl").at("/fieldsV1/f:status").isMissingNode()).isTrue();

        FieldManager status = new FieldManager(Shapes.BUILTIN.of(Deployment.class), "apps/v1", "status", true);
        ObjectNode next = obj.deepCopy();
        Json.with(next, "status").put("replicas", 2).put("readyReplicas", 2);
        ObjectNode after = status.update(obj, next, "deployment-controller", T0);
        JsonNode e = entry(after, "deployment-controller");
        assertThat(e.path("subresource").asText()).isEqualTo("status");
        assertThat(e.get("fieldsV1")).isEqualTo(yaml("{\"f:status\": {\"f:readyReplicas\": {}, \"f:replicas\": {}}}"));
    }

    @Test
    void moreThanTenUpdatersAreFoldedIntoAncientChanges() {
        ObjectNode obj = fields.update(null, yaml(WEB), "creator", T0);
        for (int i = 0; i < 12; i++) {
            ObjectNode next = obj.deepCopy();
            Json.with(next, "metadata", "annotations").put("a" + i, "x");
            obj = fields.update(obj, next, "writer-" + i, T0.plusSeconds(i + 1));
        }
        List<String> managers = new java.util.ArrayList<>();
        obj.at("/metadata/managedFields").forEach(e -> managers.add(e.path("manager").asText()));
        assertThat(managers).hasSize(10).contains("ancient-changes", "writer-11").doesNotContain("creator", "writer-0");
        assertThat(entry(obj, "ancient-changes").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isFalse();
    }

    @Test
    void aClientMayResetManagedFieldsWithAnEmptyList() {
        ObjectNode created = fields.update(null, yaml(WEB), "creator", T0);
        ObjectNode next = created.deepCopy();
        Json.with(next, "metadata").putArray("managedFields");
        ((ObjectNode) next.get("spec")).put("replicas", 4);
        assertThat(fields.update(created, next, "resetter", T0).at("/metadata/managedFields").isMissingNode()).isTrue();
    }

    @Test
    void anApplyThatChangesNothingKeepsItsTime() {
        ObjectNode first = fields.apply(null, yaml(WEB), "kubectl", false, T0);
        ObjectNode again = fields.apply(first, yaml(WEB), "kubectl", false, T0.plusSeconds(3600));
        assertThat(again).isEqualTo(first);
        assertThat(entry(again, "kubectl").path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void managedFieldsMayNotBeApplied() {
        ObjectNode config = yaml(WEB);
        Json.with(config, "metadata").putArray("managedFields");
        assertThatThrownBy(() -> fields.apply(null, config, "kubectl", false, T0))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessage("metadata.managedFields must be nil");
    }
}
