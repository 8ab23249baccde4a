package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against a real server: discovery, CRUD, errors, selectors, paging, patches, subresources. */
class KubectlCrudTest {

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

    @Test
    void versionReportsKubernetes132() throws Exception {
        JsonNode v = JSON.readTree(kubectl.run("version", "-o", "json").ok().out());
        assertThat(v.path("serverVersion").path("minor").asText()).isEqualTo("32");
        assertThat(v.path("serverVersion").path("gitVersion").asText()).startsWith("v1.32.");
    }

    @Test
    void systemNamespacesExistFromTheFirstStart() throws Exception {
        String out = kubectl.run("get", "namespaces", "-o", "name").ok().out();
        assertThat(out).contains("namespace/default", "namespace/kube-system", "namespace/kube-public", "namespace/kube-node-lease");
    }

    @Test
    void apiResourcesListsBuiltinKindsWithShortNames() throws Exception {
        String out = kubectl.run("api-resources").ok().out();
        assertThat(out).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
        assertThat(out).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod");
        assertThat(out).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
        assertThat(out).containsPattern("cronjobs\\s+cj\\s+batch/v1\\s+true\\s+CronJob");
        assertThat(out).containsPattern("customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false");
    }

    @Test
    void createGetApplyAndDeleteWithValidationOn() throws Exception {
        kubectl.run("create", "namespace", "crud").ok();
        String cm = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: crud
                  labels: {app: web}
                data:
                  color: blue
                """;
        assertThat(kubectl.runWithInput(cm, "create", "-f", "-").ok().out()).contains("configmap/settings created");
        JsonNode got = JSON.readTree(kubectl.run("get", "configmap", "settings", "-n", "crud", "-o", "json").ok().out());
        assertThat(got.path("data").path("color").asText()).isEqualTo("blue");
        assertThat(got.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(got.path("metadata").path("resourceVersion").asText()).matches("\\d+");
        assertThat(got.path("metadata").path("creationTimestamp").asText()).endsWith("Z");

        Kubectl.Result again = kubectl.runWithInput(cm, "create", "-f", "-");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("AlreadyExists").contains("configmaps \"settings\" already exists");

        String deploy = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: crud}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: busybox}]
                """;
        assertThat(kubectl.runWithInput(deploy, "apply", "-f", "-").ok().out()).contains("deployment.apps/web created");
        assertThat(kubectl.run("get", "deploy", "web", "-n", "crud").ok().out()).contains("web");

        assertThat(kubectl.run("delete", "configmap", "settings", "-n", "crud").ok().out()).contains("configmap \"settings\" deleted");
        Kubectl.Result missing = kubectl.run("get", "deployment", "nothere", "-n", "crud");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("Error from server (NotFound): deployments.apps \"nothere\" not found");
    }

    @Test
    void invalidObjectsAreRejectedWithKubernetesMessages() throws Exception {
        kubectl.run("create", "namespace", "invalid").ok();
        String mismatched = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad, namespace: invalid}
                spec:
                  selector: {matchLabels: {app: one}}
                  template:
                    metadata: {labels: {app: two}}
                    spec:
                      containers: [{name: c, image: busybox}]
                """;
        Kubectl.Result r = kubectl.runWithInput(mismatched, "create", "-f", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("is invalid").contains("`selector` does not match template `labels`");

        String unknownField = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: strict, namespace: invalid}
                data: {a: b}
                colour: red
                """;
        r = kubectl.runWithInput(unknownField, "create", "-f", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("unknown field \"colour\"");

        r = kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Not_Valid, namespace: invalid}
                """, "create", "-f", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("metadata.name: Invalid value: \"Not_Valid\"");

        r = kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: orphan, namespace: nowhere}
                """, "create", "-f", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("namespaces \"nowhere\" not found");
    }

    @Test
    void labelAndFieldSelectorsFilterOnTheServer() throws Exception {
        kubectl.run("create", "namespace", "select").ok();
        for (String[] cm : new String[][] {{"a", "web"}, {"b", "db"}, {"c", "cache"}}) {
            kubectl.run("create", "configmap", cm[0], "-n", "select").ok();
            kubectl.run("label", "configmap", cm[0], "-n", "select", "app=" + cm[1]).ok();
        }
        kubectl.run("create", "configmap", "unlabelled", "-n", "select").ok();
        assertThat(names("select", "-l", "app=web")).isEqualTo("a");
        assertThat(names("select", "-l", "app!=web")).isEqualTo("b c unlabelled");
        assertThat(names("select", "-l", "app in (db,cache)")).isEqualTo("b c");
        assertThat(names("select", "-l", "app notin (db)")).isEqualTo("a c unlabelled");
        assertThat(names("select", "-l", "app")).isEqualTo("a b c");
        assertThat(names("select", "-l", "!app")).isEqualTo("unlabelled");
        assertThat(names("select", "--field-selector", "metadata.name=b")).isEqualTo("b");
        assertThat(names("select", "--field-selector", "metadata.name!=b", "-l", "app")).isEqualTo("a c");
        Kubectl.Result bad = kubectl.run("get", "configmaps", "-n", "select", "--field-selector", "spec.nope=1");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("field label not supported: spec.nope");
    }

    @Test
    void pagingReturnsEveryObjectOnce() throws Exception {
        kubectl.run("create", "namespace", "paging").ok();
        for (int i = 0; i < 25; i++) {
            kubectl.run("create", "configmap", String.format("cm-%02d", i), "-n", "paging").ok();
        }
        String all = kubectl.run("get", "configmaps", "-n", "paging", "--chunk-size=7", "-o", "name").ok().out();
        assertThat(all.lines().filter(l -> l.startsWith("configmap/cm-")).distinct().count()).isEqualTo(25);
        JsonNode page = JSON.readTree(kubectl.run("get", "--raw", "/api/v1/namespaces/paging/configmaps?limit=10").ok().out());
        assertThat(page.path("items")).hasSize(10);
        assertThat(page.path("metadata").path("remainingItemCount").asLong()).isEqualTo(15);
        String token = page.path("metadata").path("continue").asText();
        JsonNode next = JSON.readTree(kubectl.run("get", "--raw", "/api/v1/namespaces/paging/configmaps?limit=10&continue=" + token).ok().out());
        assertThat(next.path("items").get(0).path("metadata").path("name").asText()).isEqualTo("cm-10");
        assertThat(next.path("metadata").path("resourceVersion").asText()).isEqualTo(page.path("metadata").path("resourceVersion").asText());
    }

    @Test
    void mergeAndJsonPatchesAndStaleUpdates() throws Exception {
        kubectl.run("create", "namespace", "patch").ok();
        kubectl.run("create", "configmap", "p", "-n", "patch", "--from-literal=a=1", "--from-literal=b=2").ok();
        kubectl.run("patch", "configmap", "p", "-n", "patch", "--type", "merge", "-p", "{\"data\":{\"a\":null,\"c\":\"3\"}}").ok();
        JsonNode data = JSON.readTree(kubectl.run("get", "cm", "p", "-n", "patch", "-o", "json").ok().out()).path("data");
        assertThat(data.has("a")).isFalse();
        assertThat(data.path("c").asText()).isEqualTo("3");
        kubectl.run("patch", "configmap", "p", "-n", "patch", "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/data/b\",\"value\":\"two\"}]").ok();
        JsonNode obj = JSON.readTree(kubectl.run("get", "cm", "p", "-n", "patch", "-o", "json").ok().out());
        assertThat(obj.path("data").path("b").asText()).isEqualTo("two");

        String stale = obj.toString().replace("\"resourceVersion\":\"" + obj.path("metadata").path("resourceVersion").asText() + "\"",
                "\"resourceVersion\":\"1\"");
        Kubectl.Result conflict = kubectl.runWithInput(stale, "replace", "-f", "-");
        assertThat(conflict.exit()).isNotZero();
        assertThat(conflict.err()).contains("Operation cannot be fulfilled on configmaps \"p\": the object has been modified");
    }

    @Test
    void scaleAndStatusSubresourcesWriteOnlyTheirPart() throws Exception {
        kubectl.run("create", "namespace", "sub").ok();
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: sub}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: busybox}]
                """, "create", "-f", "-").ok();
        kubectl.run("scale", "deployment", "web", "-n", "sub", "--replicas=3").ok();
        JsonNode d = JSON.readTree(kubectl.run("get", "deploy", "web", "-n", "sub", "-o", "json").ok().out());
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(d.path("metadata").path("generation").asInt()).isEqualTo(2);

        kubectl.run("patch", "deploy", "web", "-n", "sub", "--subresource=status", "--type=merge",
                "-p", "{\"status\":{\"replicas\":3},\"spec\":{\"replicas\":9}}").ok();
        d = JSON.readTree(kubectl.run("get", "deploy", "web", "-n", "sub", "-o", "json").ok().out());
        assertThat(d.path("status").path("replicas").asInt()).isEqualTo(3);
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(d.path("metadata").path("generation").asInt()).isEqualTo(2);

        kubectl.run("patch", "deploy", "web", "-n", "sub", "--type=merge", "-p", "{\"status\":{\"replicas\":7}}").ok();
        d = JSON.readTree(kubectl.run("get", "deploy", "web", "-n", "sub", "-o", "json").ok().out());
        assertThat(d.path("status").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void requestsWithoutCredentialsAreUnauthorized() throws Exception {
        Api anonymous = new Api(server, null);
        Api.Answer answer = anonymous.get("/api/v1/namespaces");
        assertThat(answer.code()).isEqualTo(401);
        assertThat(JSON.readTree(answer.body()).path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(new Api(server, "wrong-token").get("/api/v1/namespaces").code()).isEqualTo(401);
        assertThat(anonymous.get("/readyz?verbose").body()).contains("[+]ping ok").contains("readyz check passed");
    }

    private static String names(String namespace, String... selector) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("get", "configmaps", "-n", namespace, "-o", "name"));
        args.addAll(java.util.List.of(selector));
        String out = kubectl.run(args.toArray(String[]::new)).ok().out();
        return String.join(" ", out.lines().map(l -> l.substring(l.indexOf('/') + 1)).sorted().toList());
    }
}
