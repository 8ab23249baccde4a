package io.capstan.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.Result;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

    static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true,
            List.of("cm"), List.of(), Set.of(), null);
    static final ResourceType WIDGETS = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
            List.of(), List.of(), Set.of(), null);

    final FakeApi api = new FakeApi();
    final OwnerGraph graph = new OwnerGraph();
    final GarbageCollector gc = new GarbageCollector(api, graph,
            ref -> ref.kind().equals("ConfigMap") ? Optional.of(CONFIGMAPS) : Optional.empty());

    @Test
    void aDependentWhoseOwnerIsGoneIsDeletedInTheBackground() {
        ObjectNode dependent = known(configMap("d", ownerRef("ConfigMap", "gone", "uid-gone", false)));

        gc.reconcile(uid(dependent));

        assertThat(api.actions()).containsExactly("delete configmaps default/d Background");
    }

    @Test
    void aDependentWhoseOwnerTheGraphHasNotSeenYetIsKeptWhenTheApiHasIt() {
        ObjectNode owner = api.seed(CONFIGMAPS, configMap("o"));
        ObjectNode dependent = known(configMap("d", ownerRef("ConfigMap", "o", uid(owner), false)));

        gc.reconcile(uid(dependent));

        assertThat(api.actions()).isEmpty();
    }

    @Test
    void anOwnerWithTheSameNameButAnotherUidCountsAsGone() {
        api.seed(CONFIGMAPS, configMap("o"));
        ObjectNode dependent = known(configMap("d", ownerRef("ConfigMap", "o", "uid-of-an-earlier-o", false)));

        gc.reconcile(uid(dependent));

        assertThat(api.actions()).containsExactly("delete configmaps default/d Background");
    }

    @Test
    void referencesToGoneOwnersAreDroppedWhileAnotherOwnerLives() {
        ObjectNode owner = known(configMap("o"));
        ObjectNode dependent = known(configMap("d", ownerRef("ConfigMap", "o", uid(owner), false),
                ownerRef("ConfigMap", "gone", "uid-gone", false)));

        gc.reconcile(uid(dependent));

        assertThat(api.actions()).singleElement().asString().startsWith("patch configmaps default/d").doesNotContain("uid-gone");
        assertThat(api.get(CONFIGMAPS, "default", "d").path("metadata").path("ownerReferences")).hasSize(1);
    }

    @Test
    void anOwnerOfAnUnknownKindNeverCausesADeletion() {
        ObjectNode dependent = known(configMap("d", ownerRef("Widget", "w", "uid-w", false)));

        gc.reconcile(uid(dependent));

        assertThat(api.actions()).isEmpty();
    }

    @Test
    void anOrphaningOwnerFreesItsDependentsThenDropsItsFinalizer() {
        ObjectNode owner = known(deleting(configMap("o"), "orphan"));
        known(configMap("d", ownerRef("ConfigMap", "o", uid(owner), true)));

        gc.reconcile(uid(owner));

        assertThat(api.get(CONFIGMAPS, "default", "d").path("metadata").has("ownerReferences")).isFalse();
        assertThat(api.get(CONFIGMAPS, "default", "o").path("metadata").has("finalizers")).isFalse();
        assertThat(api.actions()).noneMatch(a -> a.startsWith("delete"));
    }

    @Test
    void aForegroundOwnerDeletesItsDependentsAndWaitsForThoseThatBlockIt() {
        ObjectNode owner = known(deleting(configMap("o"), "foregroundDeletion"));
        ObjectNode blocking = known(configMap("blocking", ownerRef("ConfigMap", "o", uid(owner), true)));
        known(configMap("loose", ownerRef("ConfigMap", "o", uid(owner), false)));

        Result first = gc.reconcile(uid(owner));

        assertThat(api.actions()).containsExactlyInAnyOrder("delete configmaps default/blocking Foreground",
                "delete configmaps default/loose Background");
        assertThat(first.requeueAfter()).isNotNull();
        assertThat(api.get(CONFIGMAPS, "default", "o").path("metadata").path("finalizers").toString()).contains("foregroundDeletion");

        graph.remove(uid(blocking));
        gc.reconcile(uid(owner));

        assertThat(api.get(CONFIGMAPS, "default", "o").path("metadata").has("finalizers")).isFalse();
    }

    @Test
    void aBlockingDependentOfAWaitingOwnerIsDeletedInTheForeground() {
        ObjectNode owner = known(deleting(configMap("o"), "foregroundDeletion"));
        ObjectNode dependent = known(configMap("d", ownerRef("ConfigMap", "o", uid(owner), true)));

        gc.reconcile(uid(dependent));

        assertThat(api.actions()).containsExactly("delete configmaps default/d Foreground");
    }

    /** Puts the object in the API and in the graph, as the informers would after a sync. */
    private ObjectNode known(ObjectNode object) {
        api.seed(CONFIGMAPS, object);
        graph.put(GraphNode.of(CONFIGMAPS, object));
        return object;
    }

    static ObjectNode configMap(String name, ObjectNode... owners) {
        ObjectNode cm = Json.object();
        ObjectNode meta = cm.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        if (owners.length > 0) {
            ArrayNode refs = meta.putArray("ownerReferences");
            for (ObjectNode o : owners) {
                refs.add(o);
            }
        }
        return cm;
    }

    static ObjectNode ownerRef(String kind, String name, String uid, boolean block) {
        return Json.object().put("apiVersion", "v1").put("kind", kind).put("name", name).put("uid", uid).put("blockOwnerDeletion", block);
    }

    static ObjectNode deleting(ObjectNode object, String finalizer) {
        ObjectNode meta = Json.with(object, "metadata");
        meta.put("deletionTimestamp", "2026-11-25T00:00:00Z");
        meta.putArray("finalizers").add(finalizer);
        return object;
    }

    static String uid(ObjectNode object) {
        return Json.text(object, "metadata", "uid");
    }
}
