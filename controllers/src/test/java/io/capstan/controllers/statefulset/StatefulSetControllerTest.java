package io.capstan.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.controllers.FakeCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatefulSetControllerTest {

    final FakeCluster cluster = new FakeCluster();
    final StatefulSetController controller = new StatefulSetController(cluster.api, cluster.cache(Kinds.STATEFUL_SETS),
            cluster.cache(Kinds.PODS), cluster.cache(Kinds.PERSISTENT_VOLUME_CLAIMS), cluster.cache(Kinds.CONTROLLER_REVISIONS),
            cluster.events, cluster.clock);

    @Test
    void orderedReadyCreatesThePodsOneAtATimeEachReadyBeforeTheNext() {
        cluster.seed(Kinds.STATEFUL_SETS, set("web", 3));

        controller.reconcile("default/web");
        cluster.kubelet(Kinds.PODS, List.of());
        controller.reconcile("default/web");

        assertThat(podCreates()).containsExactly("create pods default/web-0");

        cluster.kubelet(Kinds.PODS, List.of("web-0"));
        controller.reconcile("default/web");
        cluster.kubelet(Kinds.PODS, List.of("web-0", "web-1"));
        controller.reconcile("default/web");

        assertThat(podCreates()).containsExactly("create pods default/web-0", "create pods default/web-1", "create pods default/web-2");
    }

    @Test
    void parallelCreatesEveryPodAtOnce() {
        ObjectNode set = set("web", 3);
        Json.with(set, "spec").put("podManagementPolicy", "Parallel");
        cluster.seed(Kinds.STATEFUL_SETS, set);

        controller.reconcile("default/web");

        assertThat(podCreates()).containsExactly("create pods default/web-0", "create pods default/web-1", "create pods default/web-2");
    }

    @Test
    void podsGetAStableIdentityAndTheirRevisionLabel() {
        cluster.seed(Kinds.STATEFUL_SETS, set("web", 1));

        controller.reconcile("default/web");

        ObjectNode pod = cluster.api.get(Kinds.PODS, "default", "web-0");
        JsonNode labels = pod.path("metadata").path("labels");
        assertThat(labels.path("statefulset.kubernetes.io/pod-name").asText()).isEqualTo("web-0");
        assertThat(labels.path("apps.kubernetes.io/pod-index").asText()).isEqualTo("0");
        assertThat(labels.path("app").asText()).isEqualTo("web");
        assertThat(pod.path("spec").path("hostname").asText()).isEqualTo("web-0");
        assertThat(pod.path("spec").path("subdomain").asText()).isEqualTo("web-svc");
        assertThat(pod.path("metadata").path("ownerReferences").get(0).path("kind").asText()).isEqualTo("StatefulSet");
        List<ObjectNode> revisions = cluster.api.listAll(Kinds.CONTROLLER_REVISIONS, "default", Map.of()).items();
        assertThat(revisions).hasSize(1);
        assertThat(labels.path("controller-revision-hash").asText()).isEqualTo(Json.text(revisions.getFirst(), "metadata", "name"))
                .startsWith("web-");
        assertThat(cluster.api.actions()).anyMatch(a -> a.startsWith("create events"));
    }

    @Test
    void scaleDownRemovesTheHighestOrdinalFirstOneAtATime() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, set("web", 3));
        runAll(set, "web-0", "web-1", "web-2");
        Json.with(set, "spec").put("replicas", 1);
        cluster.seed(Kinds.STATEFUL_SETS, set);

        controller.reconcile("default/web");
        assertThat(podDeletes()).containsExactly("delete pods default/web-2 null");

        cluster.sync();
        controller.reconcile("default/web");
        assertThat(podDeletes()).containsExactly("delete pods default/web-2 null", "delete pods default/web-1 null");
    }

    @Test
    void eachOrdinalGetsItsClaimsBeforeItsPod() {
        cluster.seed(Kinds.STATEFUL_SETS, withClaims(set("db", 2), "Retain", "Retain"));

        controller.reconcile("default/db");

        assertThat(cluster.writes()).containsSubsequence("create persistentvolumeclaims default/data-db-0", "create pods default/db-0");
        ObjectNode claim = cluster.api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data-db-0");
        assertThat(claim.path("metadata").path("labels").path("app").asText()).isEqualTo("db");
        assertThat(claim.path("metadata").has("ownerReferences")).isFalse();
        JsonNode volume = cluster.api.get(Kinds.PODS, "default", "db-0").path("spec").path("volumes").get(0);
        assertThat(volume.path("persistentVolumeClaim").path("claimName").asText()).isEqualTo("data-db-0");
    }

    @Test
    void whenDeletedDeleteMakesTheStatefulSetOwnItsClaims() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, withClaims(set("db", 1), "Delete", "Retain"));

        controller.reconcile("default/db");

        JsonNode refs = cluster.api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data-db-0").path("metadata").path("ownerReferences");
        assertThat(refs).hasSize(1);
        assertThat(refs.get(0).path("uid").asText()).isEqualTo(Json.text(set, "metadata", "uid"));
    }

    @Test
    void whenScaledDeleteHandsAScaledDownPodsClaimToThatPodBeforeDeletingIt() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, withClaims(set("db", 2), "Retain", "Delete"));
        runAll(set, "db-0", "db-1");
        Json.with(set, "spec").put("replicas", 1);
        cluster.seed(Kinds.STATEFUL_SETS, set);

        controller.reconcile("default/db");

        JsonNode refs = cluster.api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data-db-1").path("metadata").path("ownerReferences");
        assertThat(refs).hasSize(1);
        assertThat(refs.get(0).path("kind").asText()).isEqualTo("Pod");
        assertThat(refs.get(0).path("name").asText()).isEqualTo("db-1");
        List<String> writes = cluster.writes();
        assertThat(writes).anyMatch(a -> a.startsWith("patch persistentvolumeclaims default/data-db-1"));
        assertThat(writes.indexOf("delete pods default/db-1 null"))
                .isGreaterThan(writes.indexOf(writes.stream().filter(a -> a.startsWith("patch persistentvolumeclaims")).findFirst().orElseThrow()));
        assertThat(cluster.api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data-db-0").path("metadata").has("ownerReferences")).isFalse();
    }

    @Test
    void rollingUpdateWithAPartitionReplacesOnlyTheUpperOrdinalsFromTheTop() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, set("web", 3));
        runAll(set, "web-0", "web-1", "web-2");
        String oldRevision = Json.text(cluster.api.get(Kinds.STATEFUL_SETS, "default", "web"), "status", "currentRevision");
        set = cluster.api.get(Kinds.STATEFUL_SETS, "default", "web");
        ((ObjectNode) set.at("/spec/template/spec/containers/0")).put("image", "nginx:2");
        Json.with(set, "spec", "updateStrategy", "rollingUpdate").put("partition", 1);
        cluster.seed(Kinds.STATEFUL_SETS, set);

        controller.reconcile("default/web");
        assertThat(podDeletes()).containsExactly("delete pods default/web-2 null");

        cluster.sync();
        controller.reconcile("default/web"); // web-2 comes back at the new revision
        ObjectNode web2 = cluster.api.get(Kinds.PODS, "default", "web-2");
        assertThat(web2.at("/spec/containers/0/image").asText()).isEqualTo("nginx:2");
        cluster.kubelet(Kinds.PODS, List.of("web-0", "web-1", "web-2"));
        controller.reconcile("default/web");
        assertThat(podDeletes()).containsExactly("delete pods default/web-2 null", "delete pods default/web-1 null");

        cluster.sync();
        controller.reconcile("default/web");
        cluster.kubelet(Kinds.PODS, List.of("web-0", "web-1", "web-2"));
        controller.reconcile("default/web");

        assertThat(podDeletes()).hasSize(2); // web-0 is below the partition
        assertThat(cluster.api.get(Kinds.PODS, "default", "web-0").at("/spec/containers/0/image").asText()).isEqualTo("nginx:1");
        JsonNode status = cluster.api.get(Kinds.STATEFUL_SETS, "default", "web").path("status");
        assertThat(status.path("currentRevision").asText()).isEqualTo(oldRevision);
        assertThat(status.path("updateRevision").asText()).isNotEqualTo(oldRevision);
        assertThat(status.path("updatedReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("currentReplicas").asInt()).isEqualTo(1);
        assertThat(status.path("readyReplicas").asInt()).isEqualTo(3);
    }

    @Test
    void onDeleteLeavesPodsOfTheOldRevisionUntilSomeoneDeletesThem() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, set("web", 2));
        runAll(set, "web-0", "web-1");
        set = cluster.api.get(Kinds.STATEFUL_SETS, "default", "web");
        ((ObjectNode) set.at("/spec/template/spec/containers/0")).put("image", "nginx:2");
        Json.with(set, "spec").putObject("updateStrategy").put("type", "OnDelete");
        cluster.seed(Kinds.STATEFUL_SETS, set);

        controller.reconcile("default/web");
        assertThat(podDeletes()).isEmpty();

        cluster.api.delete(Kinds.PODS, "default", "web-1", null, null);
        cluster.sync();
        controller.reconcile("default/web");
        assertThat(cluster.api.get(Kinds.PODS, "default", "web-1").at("/spec/containers/0/image").asText()).isEqualTo("nginx:2");
    }

    @Test
    void statusCountsReadyPodsAndCompletesTheRolloutWhenAllAreUpdated() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, set("web", 2));
        runAll(set, "web-0", "web-1");

        JsonNode status = cluster.api.get(Kinds.STATEFUL_SETS, "default", "web").path("status");

        assertThat(status.path("replicas").asInt()).isEqualTo(2);
        assertThat(status.path("readyReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("availableReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("updatedReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("currentReplicas").asInt()).isEqualTo(2);
        assertThat(status.path("currentRevision").asText()).isEqualTo(status.path("updateRevision").asText()).isNotEmpty();
        assertThat(status.path("observedGeneration").asInt()).isEqualTo(1);
    }

    @Test
    void aFailedPodIsDeletedToBeMadeAgain() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, set("web", 1));
        runAll(set, "web-0");
        ObjectNode pod = cluster.api.get(Kinds.PODS, "default", "web-0");
        Json.with(pod, "status").put("phase", "Failed");
        cluster.api.seed(Kinds.PODS, pod);
        cluster.sync();

        controller.reconcile("default/web");

        assertThat(podDeletes()).containsExactly("delete pods default/web-0 null");
    }

    @Test
    void aPodThatLostItsIdentityGetsItBack() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, set("web", 1));
        runAll(set, "web-0");
        ObjectNode pod = cluster.api.get(Kinds.PODS, "default", "web-0");
        ((ObjectNode) pod.path("metadata").path("labels")).remove("statefulset.kubernetes.io/pod-name");
        ((ObjectNode) pod.path("spec")).remove("hostname");
        cluster.api.seed(Kinds.PODS, pod);
        cluster.sync();

        controller.reconcile("default/web");

        assertThat(cluster.writes()).contains("update pods default/web-0");
        ObjectNode repaired = cluster.api.get(Kinds.PODS, "default", "web-0");
        assertThat(repaired.at("/metadata/labels/statefulset.kubernetes.io~1pod-name").asText()).isEqualTo("web-0");
        assertThat(repaired.at("/spec/hostname").asText()).isEqualTo("web-0");
    }

    @Test
    void aPodIsNotMadeAgainWhileItsOldClaimIsStillOwnedByTheScaledDownPod() {
        ObjectNode set = cluster.seed(Kinds.STATEFUL_SETS, withClaims(set("db", 1), "Retain", "Delete"));
        ObjectNode claim = StatefulPods.claims(set, 0).get("data");
        Json.with(claim, "metadata").putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Pod")
                .put("name", "db-0").put("uid", "uid-of-the-old-db-0");
        cluster.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claim);

        var result = controller.reconcile("default/db");

        assertThat(podCreates()).isEmpty();
        assertThat(result.requeueAfter()).isNotNull();
    }

    /** Reconciles until the named pods exist and run, then once more so status reflects them. */
    private void runAll(ObjectNode set, String... names) {
        for (int i = 0; i < names.length; i++) {
            controller.reconcile(key(set));
            cluster.kubelet(Kinds.PODS, List.of(names).subList(0, i + 1));
        }
        controller.reconcile(key(set));
        cluster.sync();
        cluster.api.actions().clear();
    }

    private static String key(ObjectNode set) {
        return "default/" + Json.text(set, "metadata", "name");
    }

    private List<String> podCreates() {
        return cluster.api.actions().stream().filter(a -> a.startsWith("create pods")).toList();
    }

    private List<String> podDeletes() {
        return cluster.api.actions().stream().filter(a -> a.startsWith("delete pods")).toList();
    }

    static ObjectNode set(String name, int replicas) {
        ObjectNode set = Json.object();
        set.putObject("metadata").put("name", name).put("namespace", "default").put("generation", 1);
        ObjectNode spec = set.putObject("spec").put("replicas", replicas).put("serviceName", name + "-svc")
                .put("podManagementPolicy", "OrderedReady").put("revisionHistoryLimit", 10);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate").put("partition", 0);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "nginx:1");
        return set;
    }

    static ObjectNode withClaims(ObjectNode set, String whenDeleted, String whenScaled) {
        ObjectNode claim = Json.with(set, "spec").putArray("volumeClaimTemplates").addObject();
        claim.putObject("metadata").put("name", "data");
        claim.putObject("spec").putArray("accessModes").add("ReadWriteOnce");
        Json.with(set, "spec").putObject("persistentVolumeClaimRetentionPolicy").put("whenDeleted", whenDeleted).put("whenScaled", whenScaled);
        return set;
    }
}
