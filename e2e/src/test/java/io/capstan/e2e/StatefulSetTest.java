package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StatefulSets through the real kubectl against simulated nodes: pods come in ordinal order, each
 * Ready before the next; scale-down removes the highest ordinals first; each ordinal has its
 * claim; a rolling update with a partition replaces only the upper ordinals; rollout status ends.
 */
class StatefulSetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "3");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void orderedReadyMakesEachPodReadyBeforeTheNextAndGivesEveryOrdinalItsClaim() throws Exception {
        kubectl.run("create", "namespace", "order").ok();
        kubectl.run("run", "marker", "-n", "order", "--image=busybox").ok();
        try (PodWatch watch = new PodWatch(kubectl, "order")) {
            // Once the watch reports the marker pod it is established, so it sees the StatefulSet's pods come one by one.
            await().atMost(WAIT).until(() -> watch.indexOf(e -> e.name().equals("marker")) >= 0);
            apply("order", "web", 3, "OrderedReady", 0);

            Kubectl.Result status = kubectl.run("rollout", "status", "sts/web", "-n", "order", "--timeout=60s");

            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("partitioned roll out complete: 3 new pods have been updated");
            await().atMost(WAIT).until(() -> watch.indexOf(e -> e.name().equals("web-2") && e.ready()) >= 0);
            for (int k = 0; k < 2; k++) {
                String pod = "web-" + k;
                String next = "web-" + (k + 1);
                int ready = watch.indexOf(e -> e.name().equals(pod) && e.ready());
                int added = watch.indexOf(e -> e.name().equals(next) && e.type().equals("ADDED"));
                assertThat(ready).as(pod + " ready").isNotNegative();
                assertThat(added).as(next + " created only after " + pod + " was ready").isGreaterThan(ready);
            }
        }
        assertThat(names("order", "pvc")).containsExactly("persistentvolumeclaim/data-web-0",
                "persistentvolumeclaim/data-web-1", "persistentvolumeclaim/data-web-2");
        JsonNode pod = json("get", "pod", "web-1", "-n", "order", "-o", "json");
        assertThat(pod.at("/metadata/labels/statefulset.kubernetes.io~1pod-name").asText()).isEqualTo("web-1");
        assertThat(pod.at("/metadata/labels/apps.kubernetes.io~1pod-index").asText()).isEqualTo("1");
        assertThat(pod.at("/spec/hostname").asText()).isEqualTo("web-1");
        assertThat(pod.at("/spec/subdomain").asText()).isEqualTo("web");
        assertThat(pod.at("/spec/volumes/0/persistentVolumeClaim/claimName").asText()).isEqualTo("data-web-1");
        JsonNode sts = json("get", "sts", "web", "-n", "order", "-o", "json");
        assertThat(sts.at("/status/readyReplicas").asInt()).isEqualTo(3);
        assertThat(sts.at("/status/currentRevision").asText()).isEqualTo(sts.at("/status/updateRevision").asText())
                .isEqualTo(pod.at("/metadata/labels/controller-revision-hash").asText());
        assertThat(names("order", "controllerrevisions")).containsExactly("controllerrevision.apps/" + sts.at("/status/updateRevision").asText());
    }

    @Test
    void scalingDownRemovesTheHighestOrdinalsFirst() throws Exception {
        kubectl.run("create", "namespace", "scale").ok();
        apply("scale", "db", 3, "OrderedReady", 0);
        kubectl.run("rollout", "status", "sts/db", "-n", "scale", "--timeout=60s").ok();

        try (PodWatch watch = new PodWatch(kubectl, "scale")) {
            // The watch must have listed the pods before the scale-down, or it may miss db-2's deletion.
            await().atMost(WAIT).until(() -> watch.indexOf(e -> e.name().equals("db-2")) >= 0);
            kubectl.run("scale", "sts", "db", "-n", "scale", "--replicas=1").ok();

            await().atMost(WAIT).until(() -> names("scale", "pods").equals(List.of("pod/db-0")));
            await().atMost(WAIT).until(() -> watch.indexOf(e -> e.name().equals("db-1") && e.type().equals("DELETED")) >= 0);
            int gone2 = watch.indexOf(e -> e.name().equals("db-2") && e.type().equals("DELETED"));
            int leaving1 = watch.indexOf(e -> e.name().equals("db-1") && e.pod().path("metadata").has("deletionTimestamp"));
            assertThat(gone2).isNotNegative();
            assertThat(leaving1).as("db-1 is deleted only once db-2 is gone").isGreaterThan(gone2);
        }
        // claims stay by default (whenScaled: Retain)
        assertThat(names("scale", "pvc")).hasSize(3);
        await().atMost(WAIT).until(() -> json("get", "sts", "db", "-n", "scale", "-o", "json").at("/status/replicas").asInt() == 1);
    }

    @Test
    void aPartitionedRollingUpdateReplacesOnlyTheUpperOrdinals() throws Exception {
        kubectl.run("create", "namespace", "partition").ok();
        apply("partition", "web", 3, "Parallel", 0);
        kubectl.run("rollout", "status", "sts/web", "-n", "partition", "--timeout=60s").ok();
        String oldRevision = json("get", "sts", "web", "-n", "partition", "-o", "json").at("/status/currentRevision").asText();

        kubectl.run("patch", "sts", "web", "-n", "partition", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/updateStrategy/rollingUpdate/partition\",\"value\":2},"
                        + "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:2\"}]").ok();
        Kubectl.Result status = kubectl.run("rollout", "status", "sts/web", "-n", "partition", "--timeout=60s");

        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("partitioned roll out complete: 1 new pods have been updated");
        assertThat(image("partition", "web-0")).isEqualTo("nginx:1");
        assertThat(image("partition", "web-1")).isEqualTo("nginx:1");
        assertThat(image("partition", "web-2")).isEqualTo("nginx:2");
        JsonNode sts = json("get", "sts", "web", "-n", "partition", "-o", "json");
        assertThat(sts.at("/status/currentRevision").asText()).isEqualTo(oldRevision);
        assertThat(sts.at("/status/updateRevision").asText()).isNotEqualTo(oldRevision);
        assertThat(sts.at("/status/updatedReplicas").asInt()).isEqualTo(1);
        assertThat(json("get", "pod", "web-2", "-n", "partition", "-o", "json").at("/metadata/labels/controller-revision-hash").asText())
                .isEqualTo(sts.at("/status/updateRevision").asText());

        kubectl.run("patch", "sts", "web", "-n", "partition", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/updateStrategy/rollingUpdate/partition\",\"value\":0}]").ok();
        kubectl.run("rollout", "status", "sts/web", "-n", "partition", "--timeout=60s").ok();
        assertThat(image("partition", "web-0")).isEqualTo("nginx:2");
        Kubectl.Result history = kubectl.run("rollout", "history", "sts/web", "-n", "partition");
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.out()).contains("1", "2");
    }

    @Test
    void claimsGoWithTheStatefulSetOrAScaledDownPodOnlyWhenTheRetentionPolicySaysDelete() throws Exception {
        kubectl.run("create", "namespace", "retention").ok();
        apply("retention", "keep", 2, "Parallel", 0);
        apply("retention", "drop", 2, "Parallel", 0);
        kubectl.run("patch", "sts", "drop", "-n", "retention", "--type=merge", "-p",
                "{\"spec\":{\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Delete\",\"whenScaled\":\"Delete\"}}}").ok();
        kubectl.run("rollout", "status", "sts/keep", "-n", "retention", "--timeout=60s").ok();
        kubectl.run("rollout", "status", "sts/drop", "-n", "retention", "--timeout=60s").ok();
        await().atMost(WAIT).until(() -> names("retention", "pvc").size() == 4);

        kubectl.run("scale", "sts", "drop", "-n", "retention", "--replicas=1").ok();
        await().atMost(WAIT).until(() -> !names("retention", "pvc").contains("persistentvolumeclaim/data-drop-1"));

        kubectl.run("delete", "sts", "keep", "drop", "-n", "retention").ok();
        await().atMost(WAIT).until(() -> names("retention", "pods").isEmpty());
        await().atMost(WAIT).until(() -> names("retention", "pvc").equals(List.of(
                "persistentvolumeclaim/data-keep-0", "persistentvolumeclaim/data-keep-1")));
    }

    private static void apply(String ns, String name, int replicas, String policy, int partition) throws Exception {
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  serviceName: %1$s
                  replicas: %3$d
                  podManagementPolicy: %4$s
                  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: %5$d}}
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec: {containers: [{name: c, image: "nginx:1"}]}
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """.formatted(name, ns, replicas, policy, partition), "apply", "-f", "-").ok();
    }

    private static String image(String ns, String pod) throws Exception {
        return json("get", "pod", pod, "-n", ns, "-o", "json").at("/spec/containers/0/image").asText();
    }

    private static List<String> names(String ns, String kinds) throws Exception {
        String out = kubectl.run("get", kinds, "-n", ns, "-o", "name").ok().out().trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
