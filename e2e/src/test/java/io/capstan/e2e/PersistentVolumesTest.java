package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent volumes through the real kubectl on simulated nodes: the default class local-path
 * provisions a volume on the node the pod went to and deletes it with the claim once no pod uses
 * it (or keeps it Released under Retain); a volume made by hand is bound to a claim that fits it.
 */
class PersistentVolumesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "2");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDefaultClassProvisionsOnThePodsNodeAndDeletesWithTheClaim() throws Exception {
        kubectl.run("create", "namespace", "lp").ok();
        assertThat(columns(kubectl.run("get", "storageclass", "local-path", "--no-headers").ok().out()).subList(0, 6))
                .containsExactly("local-path", "(default)", "capstan.io/local-path", "Delete", "WaitForFirstConsumer", "false");
        kubectl.runWithInput(claim("data", null, "1Gi"), "apply", "-n", "lp", "-f", "-").ok();

        JsonNode pending = json("get", "pvc", "data", "-n", "lp", "-o", "json");
        assertThat(pending.at("/spec/storageClassName").asText()).as("the default class").isEqualTo("local-path");
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "events", "-n", "lp",
                "--field-selector", "involvedObject.name=data").ok().out())
                .contains("WaitForFirstConsumer", "waiting for first consumer to be created before binding"));
        assertThat(json("get", "pvc", "data", "-n", "lp", "-o", "json").at("/status/phase").asText()).isEqualTo("Pending");

        kubectl.runWithInput(pod("app", "data"), "apply", "-n", "lp", "-f", "-").ok();
        await().atMost(WAIT).until(() -> "Running".equals(json("get", "pod", "app", "-n", "lp", "-o", "json").at("/status/phase").asText()));
        await().atMost(WAIT).until(() -> "Bound".equals(json("get", "pvc", "data", "-n", "lp", "-o", "json").at("/status/phase").asText()));

        JsonNode claim = json("get", "pvc", "data", "-n", "lp", "-o", "json");
        String node = json("get", "pod", "app", "-n", "lp", "-o", "json").at("/spec/nodeName").asText();
        String volume = "pvc-" + claim.at("/metadata/uid").asText();
        assertThat(claim.at("/spec/volumeName").asText()).isEqualTo(volume);
        assertThat(claim.at("/metadata/annotations/volume.kubernetes.io~1selected-node").asText()).isEqualTo(node);
        JsonNode pv = json("get", "pv", volume, "-o", "json");
        assertThat(pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText()).isEqualTo(node);
        assertThat(pv.at("/spec/hostPath/path").asText())
                .isEqualTo(dir.resolve("data").resolve("storage").toAbsolutePath() + "/" + volume + "_lp_data");
        assertThat(pv.at("/metadata/annotations/pv.kubernetes.io~1provisioned-by").asText()).isEqualTo("capstan.io/local-path");

        List<String> tables = Arrays.asList(kubectl.run("get", "pv/" + volume, "pvc/data", "-n", "lp").ok().out().split("\n"));
        assertThat(columns(tables.get(0))).containsExactly("NAME", "CAPACITY", "ACCESS", "MODES", "RECLAIM", "POLICY", "STATUS", "CLAIM",
                "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE");
        assertThat(columns(tables.get(1)).subList(0, 8)).containsExactly("persistentvolume/" + volume, "1Gi", "RWO", "Delete", "Bound",
                "lp/data", "local-path", "<unset>");
        assertThat(columns(tables.get(1))).as("REASON is empty").hasSize(9);
        int claims = tables.indexOf("") + 1;
        assertThat(columns(tables.get(claims))).containsExactly("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS", "AGE");
        assertThat(columns(tables.get(claims + 1)).subList(0, 7)).containsExactly("persistentvolumeclaim/data", "Bound", volume, "1Gi",
                "RWO", "local-path", "<unset>");

        // A claim in use stays (Terminating) until its pod is gone, and its volume stays Bound.
        kubectl.run("delete", "pvc", "data", "-n", "lp", "--wait=false").ok();
        assertThat(columns(kubectl.run("get", "pvc", "data", "-n", "lp", "--no-headers").ok().out()).get(1)).isEqualTo("Terminating");
        assertThat(json("get", "pv", volume, "-o", "json").at("/status/phase").asText()).isEqualTo("Bound");
        kubectl.run("delete", "pod", "app", "-n", "lp").ok();
        await().atMost(WAIT).until(() -> kubectl.run("get", "pv", volume).exit() != 0);
        assertThat(kubectl.run("get", "pvc", "data", "-n", "lp").err()).contains("persistentvolumeclaims \"data\" not found");
        assertThat(kubectl.run("get", "pv", volume).err()).contains("persistentvolumes \"" + volume + "\" not found");
    }

    @Test
    void aRetainClassKeepsTheVolumeReleased() throws Exception {
        kubectl.run("create", "namespace", "keep").ok();
        kubectl.runWithInput("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: keep-local}
                provisioner: capstan.io/local-path
                reclaimPolicy: Retain
                volumeBindingMode: WaitForFirstConsumer
                """, "apply", "-f", "-").ok();
        kubectl.runWithInput(claim("data", "keep-local", "2Gi") + "---\n" + pod("app", "data"), "apply", "-n", "keep", "-f", "-").ok();
        await().atMost(WAIT).until(() -> "Bound".equals(json("get", "pvc", "data", "-n", "keep", "-o", "json").at("/status/phase").asText()));
        String volume = json("get", "pvc", "data", "-n", "keep", "-o", "json").at("/spec/volumeName").asText();
        assertThat(json("get", "pv", volume, "-o", "json").at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");

        kubectl.run("delete", "pod", "app", "-n", "keep", "--wait=false").ok();
        kubectl.run("delete", "pvc", "data", "-n", "keep").ok();

        await().atMost(WAIT).until(() -> "Released".equals(json("get", "pv", volume, "-o", "json").at("/status/phase").asText()));
        List<String> row = columns(kubectl.run("get", "pv", volume, "--no-headers").ok().out());
        assertThat(row.subList(0, 7)).containsExactly(volume, "2Gi", "RWO", "Retain", "Released", "keep/data", "keep-local");
    }

    @Test
    void aVolumeMadeByHandIsBoundToAClaimThatFits() throws Exception {
        kubectl.run("create", "namespace", "static").ok();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: manual-small}
                spec:
                  storageClassName: ""
                  capacity: {storage: 512Mi}
                  accessModes: [ReadWriteOnce]
                  hostPath: {path: /srv/manual-small}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: manual-big}
                spec:
                  storageClassName: ""
                  capacity: {storage: 5Gi}
                  accessModes: [ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Retain
                  hostPath: {path: /srv/manual-big}
                """, "apply", "-f", "-").ok();
        await().atMost(WAIT).until(() -> "Available".equals(json("get", "pv", "manual-big", "-o", "json").at("/status/phase").asText()));

        kubectl.runWithInput(claim("claim", "", "1Gi"), "apply", "-n", "static", "-f", "-").ok();

        await().atMost(WAIT).until(() -> "Bound".equals(json("get", "pvc", "claim", "-n", "static", "-o", "json").at("/status/phase").asText()));
        JsonNode claim = json("get", "pvc", "claim", "-n", "static", "-o", "json");
        assertThat(claim.at("/spec/volumeName").asText()).isEqualTo("manual-big");
        assertThat(claim.at("/status/capacity/storage").asText()).isEqualTo("5Gi");
        assertThat(claim.at("/metadata/annotations/pv.kubernetes.io~1bind-completed").asText()).isEqualTo("yes");
        JsonNode pv = json("get", "pv", "manual-big", "-o", "json");
        assertThat(pv.at("/spec/claimRef/uid").asText()).isEqualTo(claim.at("/metadata/uid").asText());
        assertThat(pv.at("/metadata/annotations/pv.kubernetes.io~1bound-by-controller").asText()).isEqualTo("yes");
        assertThat(columns(kubectl.run("get", "pv", "manual-big", "--no-headers").ok().out()).subList(0, 6))
                .containsExactly("manual-big", "5Gi", "RWO", "Retain", "Bound", "static/claim");
        assertThat(json("get", "pv", "manual-small", "-o", "json").at("/status/phase").asText()).isEqualTo("Available");
    }

    private static String claim(String name, String className, String size) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %s}
                spec:
                  %s
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: %s}}
                """.formatted(name, className == null ? "" : "storageClassName: \"" + className + "\"", size);
    }

    private static String pod(String name, String claim) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    volumeMounts: [{name: data, mountPath: /data}]
                  volumes:
                  - name: data
                    persistentVolumeClaim: {claimName: %s}
                """.formatted(name, claim);
    }

    private static List<String> columns(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
