package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl apply (client- and server-side), edit, set image and rollout against a real server. */
class KubectlApplyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"));
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode get(String ns, String what, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-n", ns, "get", what, "-o", "json"));
        args.addAll(List.of(extra));
        return JSON.readTree(kubectl.run(args.toArray(String[]::new)).ok().out());
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    private static String deployment(String name, String ns, String containers) {
        return deployment(name, ns, 2, containers);
    }

    /** A Deployment manifest; replicas 0 leaves the field out. */
    private static String deployment(String name, String ns, int replicas, String containers) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app: %s}
                spec:
                %s  selector: {matchLabels: {app: %s}}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                %s""".formatted(name, ns, name, replicas == 0 ? "" : "  replicas: " + replicas + "\n", name, name,
                containers.indent(8));
    }

    @Test
    void clientSideApplyOfAChangedManifestChangesExactlyWhatChanged() throws Exception {
        kubectl.run("create", "namespace", "csa").ok();
        // No replicas in the manifest: kubectl apply would otherwise set them back (its three-way merge does).
        String first = deployment("web", "csa", 0, """
                - name: app
                  image: nginx:1
                  env:
                    - {name: A, value: "1"}
                    - {name: B, value: "2"}
                  ports:
                    - containerPort: 80
                """);
        assertThat(kubectl.runWithInput(first, "apply", "-f", "-").ok().out()).contains("deployment.apps/web created");
        kubectl.run("-n", "csa", "label", "deployment", "web", "team=blue").ok();
        kubectl.run("-n", "csa", "scale", "deployment", "web", "--replicas=5").ok();
        String second = deployment("web", "csa", 0, """
                - name: app
                  image: nginx:1
                  env:
                    - {name: A, value: "1"}
                  ports:
                    - containerPort: 8080
                - name: sidecar
                  image: busybox:1
                """);
        assertThat(kubectl.runWithInput(second, "apply", "-f", "-").ok().out()).contains("deployment.apps/web configured");

        JsonNode d = get("csa", "deployment/web");
        assertThat(d.at("/spec/replicas").asInt()).as("replicas set by kubectl scale").isEqualTo(5);
        assertThat(d.at("/metadata/labels/team").asText()).as("label added by kubectl label").isEqualTo("blue");
        JsonNode containers = d.at("/spec/template/spec/containers");
        assertThat(names(containers)).containsExactly("app", "sidecar");
        assertThat(names(containers.get(0).path("env"))).containsExactly("A");
        assertThat(containers.get(0).path("ports")).hasSize(1);
        assertThat(containers.get(0).at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:1");
        assertThat(containers.get(1).path("image").asText()).isEqualTo("busybox:1");

        assertThat(kubectl.runWithInput(second, "apply", "-f", "-").ok().out()).contains("deployment.apps/web unchanged");
    }

    @Test
    void serverSideApplyConflictsWithAnotherManagerUntilForced() throws Exception {
        kubectl.run("create", "namespace", "ssa").ok();
        String mine = deployment("api", "ssa", "- {name: app, image: nginx:1}\n");
        assertThat(kubectl.runWithInput(mine, "apply", "--server-side", "-f", "-").ok().out())
                .contains("deployment.apps/api serverside-applied");
        String theirs = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: ssa}
                spec:
                  replicas: 3
                """;
        Kubectl.Result conflict = kubectl.runWithInput(theirs, "apply", "--server-side", "--field-manager=other", "-f", "-");
        assertThat(conflict.exit()).isNotZero();
        assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        assertThat(get("ssa", "deployment/api").at("/spec/replicas").asInt()).isEqualTo(2);

        kubectl.runWithInput(theirs, "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-").ok();
        JsonNode d = get("ssa", "deployment/api", "--show-managed-fields");
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3);
        Map<String, JsonNode> byManager = new java.util.HashMap<>();
        d.at("/metadata/managedFields").forEach(e -> byManager.put(e.path("manager").asText(), e));
        assertThat(byManager.get("other").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isFalse();
        assertThat(byManager.get("other").path("operation").asText()).isEqualTo("Apply");
        assertThat(byManager.get("kubectl").at("/fieldsV1/f:spec/f:replicas").isMissingNode()).isTrue();
        assertThat(byManager.get("kubectl").at("/fieldsV1/f:spec/f:template").isMissingNode()).isFalse();

        // Fields written by client-side apply belong to its Update manager.
        kubectl.runWithInput(deployment("legacy", "ssa", "- {name: app, image: nginx:1}\n"), "apply", "-f", "-").ok();
        Kubectl.Result fromCsa = kubectl.runWithInput(theirs.replace("name: api", "name: legacy"),
                "apply", "--server-side", "--field-manager=other", "-f", "-");
        assertThat(fromCsa.err()).contains(
                "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");

        // A container the first manager applied and applies no longer goes: nobody else owns it.
        String larger = deployment("api", "ssa", 0, "- {name: app, image: nginx:1}\n- {name: extra, image: busybox:1}\n");
        kubectl.runWithInput(larger, "apply", "--server-side", "-f", "-").ok();
        assertThat(names(get("ssa", "deployment/api").at("/spec/template/spec/containers"))).containsExactly("app", "extra");
        String smaller = deployment("api", "ssa", 0, "- {name: app, image: nginx:1}\n");
        kubectl.runWithInput(smaller, "apply", "--server-side", "-f", "-").ok();
        assertThat(names(get("ssa", "deployment/api").at("/spec/template/spec/containers"))).containsExactly("app");
    }

    @Test
    void editSetImageAndRolloutPatchTheDeployment() throws Exception {
        kubectl.run("create", "namespace", "edits").ok();
        kubectl.runWithInput(deployment("x", "edits", "- {name: c, image: nginx:1}\n"), "apply", "-f", "-").ok();

        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/replicas: 2/replicas: 4/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(kubectl.runWithEnv(Map.of("KUBE_EDITOR", editor.toString()), null, "-n", "edits", "edit", "deployment/x")
                .ok().out()).contains("deployment.apps/x edited");
        assertThat(get("edits", "deployment/x").at("/spec/replicas").asInt()).isEqualTo(4);

        kubectl.run("-n", "edits", "set", "image", "deployment/x", "c=nginx:2").ok();
        assertThat(get("edits", "deployment/x").at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");

        kubectl.run("-n", "edits", "rollout", "restart", "deployment/x").ok();
        assertThat(get("edits", "deployment/x").at("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt")
                .asText()).isNotEmpty();

        kubectl.run("-n", "edits", "rollout", "pause", "deployment/x").ok();
        assertThat(get("edits", "deployment/x").at("/spec/paused").asBoolean()).isTrue();
        kubectl.run("-n", "edits", "rollout", "resume", "deployment/x").ok();
        assertThat(get("edits", "deployment/x").at("/spec/paused").asBoolean()).isFalse();

        JsonNode managers = get("edits", "deployment/x", "--show-managed-fields").at("/metadata/managedFields");
        List<String> seen = new ArrayList<>();
        managers.forEach(m -> seen.add(m.path("manager").asText()));
        assertThat(seen).contains("kubectl-client-side-apply", "kubectl-edit", "kubectl-set", "kubectl-rollout");
    }

    @Test
    void applyOnTheWireAnswersAsKubernetesDoes() throws Exception {
        Api api = new Api(server);
        String cms = "/api/v1/namespaces/default/configmaps";
        byte[] config = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"wire\"},\"data\":{\"a\":\"1\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Api.Answer noManager = api.send("PATCH", cms + "/wire", "application/apply-patch+yaml", config);
        assertThat(noManager.code()).isEqualTo(422);
        assertThat(JSON.readTree(noManager.body()).path("message").asText())
                .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");

        Api.Answer created = api.send("PATCH", cms + "/wire?fieldManager=tester", "application/apply-patch+yaml", config);
        assertThat(created.code()).isEqualTo(201);
        JsonNode entry = JSON.readTree(created.body()).at("/metadata/managedFields/0");
        assertThat(entry.path("manager").asText()).isEqualTo("tester");
        assertThat(entry.path("operation").asText()).isEqualTo("Apply");
        assertThat(entry.at("/fieldsV1/f:data/f:a").isObject()).isTrue();

        Api.Answer again = api.send("PATCH", cms + "/wire?fieldManager=tester", "application/apply-patch+yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wire}\ndata: {b: '2'}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(again.code()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("data").toString()).isEqualTo("{\"b\":\"2\"}");

        Api.Answer smp = api.send("PATCH", cms + "/wire", "application/strategic-merge-patch+json",
                "{\"data\":{\"c\":\"3\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(smp.code()).isEqualTo(200);
        assertThat(JSON.readTree(smp.body()).at("/data/c").asText()).isEqualTo("3");

        Api.Answer unknown = api.send("PATCH", cms + "/wire", "application/xml", "<a/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(unknown.code()).isEqualTo(415);
        assertThat(JSON.readTree(unknown.body()).path("message").asText()).isEqualTo("the body of the request was in an unknown "
                + "format - accepted media types include: application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json, application/apply-patch+yaml");
    }
}
