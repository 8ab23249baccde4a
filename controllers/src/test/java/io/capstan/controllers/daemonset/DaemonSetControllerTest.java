package io.capstan.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.controllers.Expectations;
import io.capstan.controllers.FakeCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonSetControllerTest {

    final FakeCluster cluster = new FakeCluster();
    final Expectations expectations = new Expectations();
    final DaemonSetController controller = new DaemonSetController(cluster.api, cluster.cache(Kinds.DAEMON_SETS),
            cluster.cache(Kinds.PODS), cluster.cache(Kinds.NODES), cluster.cache(Kinds.CONTROLLER_REVISIONS),
            cluster.events, expectations, cluster.clock);

    @Test
    void everyNodeGetsOnePodPinnedToItByNodeAffinity() {
        nodes("n0", "n1", "n2");
        cluster.seed(Kinds.DAEMON_SETS, ds("agent"));

        controller.reconcile("default/agent");

        List<ObjectNode> pods = pods();
        assertThat(pods).hasSize(3);
        assertThat(pods.stream().map(DaemonPods::targetNode)).containsExactlyInAnyOrder("n0", "n1", "n2");
        ObjectNode pod = pods.getFirst();
        assertThat(pod.path("spec").has("nodeName")).isFalse();
        JsonNode field = pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchFields/0");
        assertThat(field.path("key").asText()).isEqualTo("metadata.name");
        assertThat(field.path("operator").asText()).isEqualTo("In");
        assertThat(pod.path("spec").path("tolerations").toString()).contains("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
                "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure",
                "node.kubernetes.io/unschedulable");
        String hash = pod.path("metadata").path("labels").path("controller-revision-hash").asText();
        assertThat(cluster.api.get(Kinds.CONTROLLER_REVISIONS, "default", "agent-" + hash).path("revision").asInt()).isEqualTo(1);
    }

    @Test
    void nodeSelectorAffinityAndUntoleratedTaintsKeepPodsOff() {
        nodes("plain");
        cluster.seed(Kinds.NODES, node("other-zone", Map.of("zone", "b"), null));
        cluster.seed(Kinds.NODES, node("tainted", Map.of("zone", "a"), "NoSchedule"));
        cluster.seed(Kinds.NODES, node("good", Map.of("zone", "a"), null));
        ObjectNode cordoned = node("cordoned", Map.of("zone", "a"), null);
        cordoned.putObject("spec").put("unschedulable", true);
        cluster.seed(Kinds.NODES, cordoned);
        ObjectNode ds = ds("agent");
        Json.with(ds, "spec", "template", "spec", "nodeSelector").put("zone", "a");

        cluster.seed(Kinds.DAEMON_SETS, ds);
        controller.reconcile("default/agent");

        assertThat(pods().stream().map(DaemonPods::targetNode)).containsExactlyInAnyOrder("good", "cordoned");
        JsonNode status = cluster.api.get(Kinds.DAEMON_SETS, "default", "agent").path("status");
        assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(2);
    }

    @Test
    void aTolerationLetsPodsOntoATaintedNode() {
        cluster.seed(Kinds.NODES, node("tainted", Map.of(), "NoSchedule"));
        ObjectNode ds = ds("agent");
        Json.with(ds, "spec", "template", "spec").putArray("tolerations").addObject().put("key", "dedicated").put("operator", "Exists");

        cluster.seed(Kinds.DAEMON_SETS, ds);
        controller.reconcile("default/agent");

        assertThat(pods()).hasSize(1);
    }

    @Test
    void aNodeThatJoinsGetsAPodAndOneThatStopsMatchingLosesIt() {
        cluster.seed(Kinds.NODES, node("n0", Map.of("role", "edge"), null));
        ObjectNode ds = ds("agent");
        Json.with(ds, "spec", "template", "spec", "nodeSelector").put("role", "edge");
        cluster.seed(Kinds.DAEMON_SETS, ds);
        controller.reconcile("default/agent");
        sync();

        cluster.seed(Kinds.NODES, node("n1", Map.of("role", "edge"), null));
        controller.reconcile("default/agent");
        sync();
        assertThat(pods().stream().map(DaemonPods::targetNode)).containsExactlyInAnyOrder("n0", "n1");

        cluster.seed(Kinds.NODES, node("n0", Map.of("role", "core"), null));
        controller.reconcile("default/agent");

        assertThat(pods().stream().map(DaemonPods::targetNode)).containsExactly("n1");
    }

    @Test
    void aNoScheduleTaintKeepsTheRunningPodButNoExecuteRemovesIt() {
        nodes("n0");
        cluster.seed(Kinds.DAEMON_SETS, ds("agent"));
        controller.reconcile("default/agent");
        sync();

        cluster.seed(Kinds.NODES, node("n0", Map.of(), "NoSchedule"));
        controller.reconcile("default/agent");
        assertThat(pods()).hasSize(1);
        assertThat(cluster.api.get(Kinds.DAEMON_SETS, "default", "agent").path("status").path("numberMisscheduled").asInt()).isEqualTo(1);

        cluster.seed(Kinds.NODES, node("n0", Map.of(), "NoExecute"));
        controller.reconcile("default/agent");
        assertThat(pods()).isEmpty();
    }

    @Test
    void rollingUpdateReplacesNoMoreThanMaxUnavailableAtATime() {
        nodes("n0", "n1", "n2");
        cluster.seed(Kinds.DAEMON_SETS, ds("agent"));
        runEverything();
        String oldHash = hashes().getFirst();
        newImage("agent");

        controller.reconcile("default/agent");
        assertThat(podDeletes()).hasSize(1);

        sync();
        controller.reconcile("default/agent"); // the node without a pod gets the new one
        sync();
        controller.reconcile("default/agent"); // which is not available yet: nothing more goes
        assertThat(podDeletes()).hasSize(1);
        assertThat(hashes()).hasSize(3).filteredOn(h -> !h.equals(oldHash)).hasSize(1);

        for (int i = 0; i < 4; i++) {
            runEverything();
        }
        assertThat(hashes()).hasSize(3).doesNotContain(oldHash);
        JsonNode status = cluster.api.get(Kinds.DAEMON_SETS, "default", "agent").path("status");
        assertThat(status.path("updatedNumberScheduled").asInt()).isEqualTo(3);
        assertThat(status.path("numberAvailable").asInt()).isEqualTo(3);
        assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(3);
    }

    @Test
    void maxSurgeStartsTheNewPodBesideTheOldOneAndRemovesTheOldOneOnceTheNewIsAvailable() {
        nodes("n0");
        ObjectNode ds = ds("agent");
        Json.with(ds, "spec", "updateStrategy", "rollingUpdate").put("maxSurge", 1).put("maxUnavailable", 0);
        cluster.seed(Kinds.DAEMON_SETS, ds);
        runEverything();
        newImage("agent");

        controller.reconcile("default/agent");
        assertThat(pods()).hasSize(2);
        assertThat(podDeletes()).isEmpty();

        runEverything();
        assertThat(pods()).hasSize(1);
        assertThat(pods().getFirst().at("/spec/containers/0/image").asText()).isEqualTo("agent:2");
    }

    @Test
    void onDeleteNeverReplacesPodsByItself() {
        nodes("n0", "n1");
        ObjectNode ds = ds("agent");
        Json.with(ds, "spec").putObject("updateStrategy").put("type", "OnDelete");
        cluster.seed(Kinds.DAEMON_SETS, ds);
        runEverything();
        newImage("agent");

        controller.reconcile("default/agent");

        assertThat(podDeletes()).isEmpty();
        assertThat(cluster.api.get(Kinds.DAEMON_SETS, "default", "agent").path("status").path("updatedNumberScheduled").asInt()).isZero();
    }

    @Test
    void aFailedPodIsDeletedAndItsNodeBacksOff() {
        nodes("n0");
        cluster.seed(Kinds.DAEMON_SETS, ds("agent"));
        runEverything();
        ObjectNode pod = pods().getFirst();
        Json.with(pod, "status").put("phase", "Failed");
        cluster.api.seed(Kinds.PODS, pod);
        sync();

        controller.reconcile("default/agent");

        assertThat(podDeletes()).hasSize(1);
        assertThat(cluster.api.listAll(Kinds.EVENTS, "default", Map.of()).items())
                .anyMatch(e -> e.path("reason").asText().equals("FailedDaemonPod"));
    }

    @Test
    void aPodWaitingForANodeThatIsGoneIsDeleted() {
        nodes("n0", "n1");
        cluster.seed(Kinds.DAEMON_SETS, ds("agent"));
        controller.reconcile("default/agent");
        cluster.api.delete(Kinds.NODES, "", "n1", null, null);
        sync();

        controller.reconcile("default/agent");

        assertThat(pods().stream().map(DaemonPods::targetNode)).containsExactly("n0");
    }

    private void runEverything() {
        controller.reconcile("default/agent");
        List<String> names = new ArrayList<>();
        pods().forEach(p -> names.add(Json.text(p, "metadata", "name")));
        cluster.kubelet(Kinds.PODS, names);
        sync();
        controller.reconcile("default/agent");
        sync();
        cluster.api.actions().clear();
    }

    /** The caches catch up, and with them the expectations the pod informer would have met. */
    private void sync() {
        cluster.sync();
        expectations.forget("default/agent");
    }

    private void newImage(String name) {
        ObjectNode ds = cluster.api.get(Kinds.DAEMON_SETS, "default", name);
        ((ObjectNode) ds.at("/spec/template/spec/containers/0")).put("image", "agent:2");
        Json.with(ds, "metadata").put("generation", 2);
        cluster.seed(Kinds.DAEMON_SETS, ds);
        sync();
    }

    private List<ObjectNode> pods() {
        return cluster.api.listAll(Kinds.PODS, "default", Map.of()).items();
    }

    private List<String> hashes() {
        return pods().stream().map(p -> p.path("metadata").path("labels").path("controller-revision-hash").asText()).toList();
    }

    private List<String> podDeletes() {
        return cluster.api.actions().stream().filter(a -> a.startsWith("delete pods")).toList();
    }

    private void nodes(String... names) {
        for (String n : names) {
            cluster.seed(Kinds.NODES, node(n, Map.of(), null));
        }
    }

    static ObjectNode node(String name, Map<String, String> labels, String taintEffect) {
        ObjectNode node = Json.object();
        ObjectNode l = node.putObject("metadata").put("name", name).putObject("labels");
        labels.forEach(l::put);
        if (taintEffect != null) {
            node.putObject("spec").putArray("taints").addObject().put("key", "dedicated").put("value", "x").put("effect", taintEffect);
        }
        return node;
    }

    static ObjectNode ds(String name) {
        ObjectNode ds = Json.object();
        ds.putObject("metadata").put("name", name).put("namespace", "default").put("generation", 1);
        ObjectNode spec = ds.putObject("spec").put("revisionHistoryLimit", 10);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate").put("maxUnavailable", 1).put("maxSurge", 0);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "agent:1");
        return ds;
    }
}
