package io.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.EventRecorder;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    final FakeApi api = new FakeApi();
    final FakeCache deployments = new FakeCache();
    final FakeCache replicaSets = new FakeCache();
    final FakeCache pods = new FakeCache();
    final DeploymentController controller = new DeploymentController(api, deployments, replicaSets, pods,
            new EventRecorder(api, "deployment-controller", CLOCK), CLOCK);

    @Test
    void aNewDeploymentGetsItsFirstRevisionAsAReplicaSetWithTheTemplateHash() {
        deployment("web", 4, "i:1", false);

        controller.reconcile("default/web");

        List<ObjectNode> sets = sets();
        assertThat(sets).hasSize(1);
        ObjectNode rs = sets.getFirst();
        String hash = rs.path("metadata").path("labels").path("pod-template-hash").asText();
        assertThat(Json.text(rs, "metadata", "name")).isEqualTo("web-" + hash);
        assertThat(rs.path("spec").path("selector").path("matchLabels").path("pod-template-hash").asText()).isEqualTo(hash);
        assertThat(rs.path("spec").path("template").path("metadata").path("labels").path("pod-template-hash").asText()).isEqualTo(hash);
        assertThat(rs.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText()).isEqualTo("1");
        assertThat(rs.path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(rs.path("metadata").path("ownerReferences").get(0).path("kind").asText()).isEqualTo("Deployment");
    }

    @Test
    void aTemplateChangeSurgesByOneAndScalesTheOldSetDownWithinMaxUnavailable() {
        ObjectNode d = deployment("web", 4, "i:1", false);
        controller.reconcile("default/web");
        ObjectNode old = sets().getFirst();
        ((ObjectNode) old.get("status")).put("replicas", 4).put("readyReplicas", 4).put("availableReplicas", 4);
        api.seed(Kinds.REPLICA_SETS, old);
        replicaSets.put(old);
        ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0)).put("image", "i:2");
        deployments.put(d);

        controller.reconcile("default/web");

        List<ObjectNode> sets = sets();
        assertThat(sets).hasSize(2);
        ObjectNode newRs = sets.stream().filter(rs -> !Json.text(rs, "metadata", "name").equals(Json.text(old, "metadata", "name")))
                .findFirst().orElseThrow();
        assertThat(newRs.path("spec").path("replicas").asInt()).isEqualTo(1); // maxSurge 25% of 4
        assertThat(newRs.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText()).isEqualTo("2");
        assertThat(api.get(Kinds.REPLICA_SETS, "default", Json.text(old, "metadata", "name")).path("spec").path("replicas").asInt())
                .isEqualTo(3); // maxUnavailable 25% of 4
    }

    @Test
    void aPausedDeploymentStartsNoNewRevision() {
        deployment("web", 2, "i:1", true);

        controller.reconcile("default/web");

        assertThat(sets()).isEmpty();
        ObjectNode stored = api.get(Kinds.DEPLOYMENTS, "default", "web");
        assertThat(DeploymentConditions.get(stored.path("status"), "Progressing").path("reason").asText()).isEqualTo("DeploymentPaused");
    }

    private List<ObjectNode> sets() {
        List<ObjectNode> sets = api.listAll(Kinds.REPLICA_SETS, "default", Map.of()).items();
        for (ObjectNode rs : sets) {
            if (!rs.has("status")) {
                rs.putObject("status");
            }
        }
        return sets;
    }

    private ObjectNode deployment(String name, int replicas, String image, boolean paused) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name).put("generation", 1);
        ObjectNode spec = d.putObject("spec").put("replicas", replicas).put("paused", paused);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", image);
        api.seed(Kinds.DEPLOYMENTS, d);
        deployments.put(d);
        return d;
    }
}
