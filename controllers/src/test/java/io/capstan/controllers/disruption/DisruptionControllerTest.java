package io.capstan.controllers.disruption;

import io.capstan.client.fake.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.Result;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.controllers.RecordedEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisruptionControllerTest {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    final TestClock clock = new TestClock(NOW);
    final FakeApi api = new FakeApi();
    final FakeCache budgets = new FakeCache();
    final FakeCache pods = new FakeCache();
    final FakeCache replicaSets = new FakeCache();
    final FakeCache deployments = new FakeCache();
    final FakeCache statefulSets = new FakeCache();
    final DisruptionController controller = new DisruptionController(api, budgets, pods, replicaSets, deployments, statefulSets,
            new EventRecorder(api, "controllermanager", clock), clock);

    @Test
    void minAvailableAsAnIntegerCountsThePodsPresent() {
        ObjectNode rs = replicaSet("web", 4);
        for (int i = 0; i < 4; i++) {
            pod("web-" + i, rs, i < 3);
        }
        budget("pdb", Json.object().put("minAvailable", 2));

        controller.reconcile("default/pdb");

        JsonNode status = status("pdb");
        assertThat(status.path("expectedPods").asInt()).isEqualTo(4);
        assertThat(status.path("currentHealthy").asInt()).isEqualTo(3);
        assertThat(status.path("desiredHealthy").asInt()).isEqualTo(2);
        assertThat(status.path("disruptionsAllowed").asInt()).isEqualTo(1);
        assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
        JsonNode condition = status.path("conditions").get(0);
        assertThat(condition.path("type").asText()).isEqualTo("DisruptionAllowed");
        assertThat(condition.path("status").asText()).isEqualTo("True");
        assertThat(condition.path("reason").asText()).isEqualTo("SufficientPods");
    }

    @Test
    void percentagesScaleAgainstTheControllersReplicasRoundingUp() {
        ObjectNode rs = replicaSet("web", 5);
        for (int i = 0; i < 5; i++) {
            pod("web-" + i, rs, true);
        }
        budget("min", Json.object().put("minAvailable", "50%"));
        budget("max", Json.object().put("maxUnavailable", "30%"));

        controller.reconcile("default/min");
        controller.reconcile("default/max");

        assertThat(status("min").path("desiredHealthy").asInt()).isEqualTo(3);
        assertThat(status("min").path("disruptionsAllowed").asInt()).isEqualTo(2);
        assertThat(status("max").path("desiredHealthy").asInt()).isEqualTo(3);
        assertThat(status("max").path("expectedPods").asInt()).isEqualTo(5);
    }

    @Test
    void aDeploymentsReplicasCountForItsReplicaSetsPods() {
        ObjectNode d = api.seed(Kinds.DEPLOYMENTS, named("app"));
        Json.with(d, "spec").put("replicas", 6);
        deployments.put(d);
        ObjectNode rs = replicaSet("app-abc", 3);
        Json.with(rs, "metadata").putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
                .put("name", "app").put("uid", Json.text(d, "metadata", "uid")).put("controller", true);
        pod("app-abc-1", rs, true);
        budget("pdb", Json.object().put("maxUnavailable", 1));

        controller.reconcile("default/pdb");

        assertThat(status("pdb").path("expectedPods").asInt()).isEqualTo(6);
        assertThat(status("pdb").path("disruptionsAllowed").asInt()).isEqualTo(0);
        assertThat(status("pdb").path("conditions").get(0).path("reason").asText()).isEqualTo("InsufficientPods");
    }

    @Test
    void approvedEvictionsStopCountingUntilThePodGoesOrTwoMinutesPass() {
        ObjectNode rs = replicaSet("web", 3);
        for (int i = 0; i < 3; i++) {
            pod("web-" + i, rs, true);
        }
        ObjectNode pdb = budget("pdb", Json.object().put("minAvailable", 2));
        ObjectNode disrupted = Json.with(pdb, "status", "disruptedPods");
        disrupted.put("web-0", NOW.minusSeconds(30).toString());
        disrupted.put("gone", NOW.minusSeconds(30).toString());

        Result result = controller.reconcile("default/pdb");

        assertThat(status("pdb").path("currentHealthy").asInt()).isEqualTo(2);
        assertThat(status("pdb").path("disruptionsAllowed").asInt()).isEqualTo(0);
        assertThat(status("pdb").path("disruptedPods").has("gone")).isFalse();
        assertThat(result.requeueAfter()).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(91));

        clock.advance(Duration.ofSeconds(91));
        budgets.put(api.get(Kinds.POD_DISRUPTION_BUDGETS, "default", "pdb"));
        controller.reconcile("default/pdb");
        assertThat(status("pdb").has("disruptedPods")).isFalse();
        assertThat(status("pdb").path("disruptionsAllowed").asInt()).isEqualTo(1);
        assertThat(RecordedEvents.of(api)).contains("Warning NotDeleted web-0: Pod was expected by PDB default/default to be deleted but it wasn't");
    }

    @Test
    void podsWithoutAKnownControllerFailSafeToNoDisruptions() {
        ObjectNode orphanOwner = named("ghost");
        Json.with(orphanOwner, "metadata").put("uid", "no-such-uid");
        ObjectNode p = pod("p", orphanOwner, true);
        Json.with(p, "metadata").remove("ownerReferences");
        ((com.fasterxml.jackson.databind.node.ArrayNode) Json.with(p, "metadata").putArray("ownerReferences")).addObject()
                .put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", "ghost").put("uid", "no-such-uid").put("controller", true);
        ObjectNode pdb = budget("pdb", Json.object().put("maxUnavailable", 1));
        Json.with(pdb, "status").put("disruptionsAllowed", 3);

        controller.reconcile("default/pdb");

        JsonNode status = status("pdb");
        assertThat(status.path("disruptionsAllowed").asInt()).isEqualTo(0);
        assertThat(status.path("conditions").get(0).path("reason").asText()).isEqualTo("SyncFailed");
        assertThat(status.path("conditions").get(0).path("message").asText()).isEqualTo("found no controllers for pod \"p\"");
    }

    @Test
    void aBudgetWithNoPodsSaysSo() {
        budget("lonely", Json.object().put("minAvailable", 1));

        controller.reconcile("default/lonely");

        assertThat(RecordedEvents.of(api)).contains("Normal NoPods lonely: No matching pods found");
        assertThat(status("lonely").path("disruptionsAllowed").asInt()).isZero();
    }

    private ObjectNode replicaSet(String name, int replicas) {
        ObjectNode rs = named(name);
        Json.with(rs, "spec").put("replicas", replicas);
        api.seed(Kinds.REPLICA_SETS, rs);
        replicaSets.put(rs);
        return rs;
    }

    private ObjectNode pod(String name, ObjectNode owner, boolean ready) {
        ObjectNode p = named(name);
        Json.with(p, "metadata").putObject("labels").put("app", "web");
        Json.with(p, "metadata").putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
                .put("name", Json.text(owner, "metadata", "name")).put("uid", Json.text(owner, "metadata", "uid")).put("controller", true);
        p.putObject("status").put("phase", "Running").putArray("conditions").addObject().put("type", "Ready")
                .put("status", ready ? "True" : "False");
        pods.put(api.seed(Kinds.PODS, p));
        return p;
    }

    private ObjectNode budget(String name, ObjectNode spec) {
        ObjectNode pdb = named(name);
        Json.with(pdb, "metadata").put("generation", 1);
        spec.putObject("selector").putObject("matchLabels").put("app", "web");
        pdb.set("spec", spec);
        budgets.put(api.seed(Kinds.POD_DISRUPTION_BUDGETS, pdb));
        return pdb;
    }

    private static ObjectNode named(String name) {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("name", name).put("namespace", "default");
        return o;
    }

    private JsonNode status(String pdb) {
        return api.get(Kinds.POD_DISRUPTION_BUDGETS, "default", pdb).path("status");
    }

}
