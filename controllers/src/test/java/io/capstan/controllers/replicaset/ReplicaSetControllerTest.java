package io.capstan.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.controllers.Expectations;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    final FakeApi api = new FakeApi();
    final FakeCache replicaSets = new FakeCache();
    final FakeCache pods = new FakeCache();
    final Expectations expectations = new Expectations();
    final ReplicaSetController controller = new ReplicaSetController(api, replicaSets, pods,
            new EventRecorder(api, "replicaset-controller", CLOCK), expectations, CLOCK);

    @Test
    void missingPodsAreCreatedFromTheTemplateWithAControllerReference() throws Exception {
        ObjectNode rs = replicaSet("web", 3);

        controller.reconcile("default/web");

        assertThat(writes()).filteredOn(a -> a.startsWith("create pods default/web-")).hasSize(3);
        assertThat(writes()).last().isEqualTo("update replicasets/status default/web");
        ObjectNode pod = (ObjectNode) api.listAll(Kinds.PODS, "default", java.util.Map.of()).items().getFirst();
        assertThat(pod.path("metadata").path("generateName").asText()).isEqualTo("web-");
        assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
        assertThat(pod.path("metadata").path("ownerReferences").get(0).path("uid").asText()).isEqualTo(Json.text(rs, "metadata", "uid"));
        assertThat(pod.path("metadata").path("ownerReferences").get(0).path("controller").asBoolean()).isTrue();
    }

    @Test
    void nothingMoreIsCreatedUntilTheCacheHasSeenTheLastCreations() throws Exception {
        replicaSet("web", 2);
        controller.reconcile("default/web");
        api.actions().clear();

        controller.reconcile("default/web"); // the cache still shows no pods

        assertThat(writes()).noneMatch(a -> a.startsWith("create pods"));
    }

    @Test
    void surplusPodsGoUnscheduledAndNotReadyFirst() throws Exception {
        ObjectNode rs = replicaSet("web", 1);
        pods.put(pod(rs, "ready", "node-1", true));
        pods.put(pod(rs, "pending", "", false));

        controller.reconcile("default/web");

        assertThat(writes()).contains("delete pods default/pending null");
        assertThat(writes()).noneMatch(a -> a.contains("default/ready"));
    }

    @Test
    void statusCountsReadyAndAvailablePods() throws Exception {
        ObjectNode rs = replicaSet("web", 2);
        pods.put(pod(rs, "a", "n", true));
        pods.put(pod(rs, "b", "n", false));

        controller.reconcile("default/web");

        ObjectNode stored = api.get(Kinds.REPLICA_SETS, "default", "web");
        assertThat(stored.path("status").path("replicas").asInt()).isEqualTo(2);
        assertThat(stored.path("status").path("readyReplicas").asInt()).isEqualTo(1);
        assertThat(stored.path("status").path("availableReplicas").asInt()).isEqualTo(1);
    }

    @Test
    void aMatchingOrphanIsAdopted() throws Exception {
        replicaSet("web", 1);
        ObjectNode orphan = pod(null, "orphan", "n", true);
        api.seed(Kinds.PODS, orphan);
        pods.put(orphan);

        controller.reconcile("default/web");

        assertThat(writes()).anyMatch(a -> a.startsWith("patch pods default/orphan") && a.contains("\"controller\":true"));
        assertThat(writes()).noneMatch(a -> a.startsWith("create pods"));
    }

    private List<String> writes() {
        return api.actions().stream().filter(a -> !a.contains(" events ")).toList();
    }

    private ObjectNode replicaSet(String name, int replicas) {
        ObjectNode rs = Json.object();
        rs.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name).put("generation", 1);
        ObjectNode spec = rs.putObject("spec").put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "i");
        api.seed(Kinds.REPLICA_SETS, rs);
        replicaSets.put(rs);
        return rs;
    }

    private static ObjectNode pod(ObjectNode owner, String name, String node, boolean ready) {
        ObjectNode pod = Json.object();
        ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name)
                .put("resourceVersion", "1").put("creationTimestamp", "2026-11-25T09:00:00Z");
        meta.putObject("labels").put("app", "web");
        if (owner != null) {
            meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
                    .put("name", Json.text(owner, "metadata", "name")).put("uid", Json.text(owner, "metadata", "uid")).put("controller", true);
        }
        pod.putObject("spec").put("nodeName", node);
        ObjectNode status = pod.putObject("status").put("phase", ready ? "Running" : "Pending");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False")
                .put("lastTransitionTime", "2026-11-25T09:00:00Z");
        return pod;
    }
}
