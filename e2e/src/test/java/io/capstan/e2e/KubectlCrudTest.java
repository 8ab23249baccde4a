package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
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

    /** Kubernetes 1.32's own `kubectl api-resources` rows for every kind Capstan serves, column for column. */
    private static final List<String> KUBERNETES_ROWS = List.of(
            "configmaps cm v1 true ConfigMap", "endpoints ep v1 true Endpoints", "events ev v1 true Event",
            "limitranges limits v1 true LimitRange", "namespaces ns v1 false Namespace", "nodes no v1 false Node",
            "persistentvolumeclaims pvc v1 true PersistentVolumeClaim", "persistentvolumes pv v1 false PersistentVolume",
            "pods po v1 true Pod", "podtemplates v1 true PodTemplate", "replicationcontrollers rc v1 true ReplicationController",
            "resourcequotas quota v1 true ResourceQuota", "secrets v1 true Secret", "serviceaccounts sa v1 true ServiceAccount",
            "services svc v1 true Service",
            "customresourcedefinitions crd,crds apiextensions.k8s.io/v1 false CustomResourceDefinition",
            "controllerrevisions apps/v1 true ControllerRevision", "daemonsets ds apps/v1 true DaemonSet",
            "deployments deploy apps/v1 true Deployment", "replicasets rs apps/v1 true ReplicaSet",
            "statefulsets sts apps/v1 true StatefulSet",
            "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler",
            "cronjobs cj batch/v1 true CronJob", "jobs batch/v1 true Job", "leases coordination.k8s.io/v1 true Lease",
            "endpointslices discovery.k8s.io/v1 true EndpointSlice", "events ev events.k8s.io/v1 true Event",
            "ingressclasses networking.k8s.io/v1 false IngressClass", "ingresses ing networking.k8s.io/v1 true Ingress",
            "networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy", "runtimeclasses node.k8s.io/v1 false RuntimeClass",
            "poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget",
            "clusterrolebindings rbac.authorization.k8s.io/v1 false ClusterRoleBinding",
            "clusterroles rbac.authorization.k8s.io/v1 false ClusterRole",
            "rolebindings rbac.authorization.k8s.io/v1 true RoleBinding", "roles rbac.authorization.k8s.io/v1 true Role",
            "priorityclasses pc scheduling.k8s.io/v1 false PriorityClass", "storageclasses sc storage.k8s.io/v1 false StorageClass");

    @Test
    void apiResourcesPrintsKubernetesRowsForEveryServedKind() throws Exception {
        List<String> rows = kubectl.run("api-resources", "--no-headers").ok().out().lines()
                .map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        assertThat(rows).containsAll(KUBERNETES_ROWS);
        assertThat(kubectl.run("api-resources", "--categories=all", "-o", "name").ok().out().lines().sorted().toList())
                .containsExactly("cronjobs.batch", "daemonsets.apps", "deployments.apps", "horizontalpodautoscalers.autoscaling",
                        "jobs.batch", "pods", "replicasets.apps", "replicationcontrollers", "services", "statefulsets.apps");
        String wide = kubectl.run("api-resources", "-o", "wide", "--api-group=").ok().out();
        assertThat(wide).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace\\s+create,delete,get,list,patch,update,watch\\s")
                .containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod\\s+create,delete,deletecollection,get,list,patch,update,watch\\s+all");
    }

    @Test
    void aggregatedDiscoveryOnlyForItsExactMediaType() throws Exception {
        Api api = new Api(server);
        String v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
        Api.Answer aggregated = api.get("/apis", v2 + ",application/json");
        assertThat(aggregated.contentType()).isEqualTo(v2);
        assertThat(JSON.readTree(aggregated.body()).path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        Api.Answer core = api.get("/api", v2);
        assertThat(JSON.readTree(core.body()).path("items").get(0).path("versions").get(0).path("version").asText()).isEqualTo("v1");
        for (String accept : new String[] {"application/json", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
                "application/json;g=apidiscovery.k8s.io;v=v2", "*/*"}) {
            Api.Answer legacy = api.get("/apis", accept);
            assertThat(legacy.contentType()).as(accept).startsWith("application/json").doesNotContain("apidiscovery");
            assertThat(JSON.readTree(legacy.body()).path("kind").asText()).as(accept).isEqualTo("APIGroupList");
        }
    }

    @Test
    void imperativeGeneratorsSendProtobufAndGetKubernetesObjects() throws Exception {
        kubectl.run("create", "namespace", "gen").ok();
        kubectl.run("create", "deployment", "web", "-n", "gen", "--image=nginx:1.27", "--replicas=0", "--port=80").ok();
        JsonNode d = JSON.readTree(kubectl.run("get", "deploy", "web", "-n", "gen", "-o", "json").ok().out());
        assertThat(d.at("/spec/replicas").asInt(-1)).as("a zero from protobuf is kept where it means something").isZero();
        assertThat(d.at("/spec/selector/matchLabels/app").asText()).isEqualTo("web");
        assertThat(d.at("/spec/template/spec/containers/0/ports/0").toString()).isEqualTo("{\"containerPort\":80,\"protocol\":\"TCP\"}");
        assertThat(d.at("/spec").has("paused")).as("unset fields stay out, as in Kubernetes' JSON").isFalse();
        kubectl.run("create", "service", "clusterip", "web", "-n", "gen", "--tcp=80:8080").ok();
        JsonNode svc = JSON.readTree(kubectl.run("get", "svc", "web", "-n", "gen", "-o", "json").ok().out());
        assertThat(svc.at("/spec/ports/0").has("nodePort")).isFalse();
        assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
        kubectl.run("create", "ingress", "ing", "-n", "gen", "--rule=foo.com/bar=web:8080").ok();
        JsonNode ing = JSON.readTree(kubectl.run("get", "ingress", "ing", "-n", "gen", "-o", "json").ok().out());
        assertThat(ing.at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("web");
        kubectl.run("create", "secret", "generic", "s", "-n", "gen", "--from-literal=a=b").ok();
        kubectl.run("create", "job", "j", "-n", "gen", "--image=busybox", "--", "echo", "hi").ok();
        kubectl.run("create", "cronjob", "cj", "-n", "gen", "--image=busybox", "--schedule=*/5 * * * *", "--", "echo").ok();
        kubectl.run("create", "role", "r", "-n", "gen", "--verb=get", "--resource=pods").ok();
        kubectl.run("create", "rolebinding", "rb", "-n", "gen", "--role=r", "--user=alice").ok();
        kubectl.run("create", "serviceaccount", "sa", "-n", "gen").ok();
        kubectl.run("create", "quota", "q", "-n", "gen", "--hard=pods=5").ok();
        kubectl.run("create", "poddisruptionbudget", "pdb", "-n", "gen", "--selector=app=web", "--min-available=1").ok();
        assertThat(kubectl.run("get", "secret,job,cronjob,role,rolebinding,serviceaccount,quota,pdb", "-n", "gen", "-o", "name").ok().out())
                .contains("secret/s", "job.batch/j", "cronjob.batch/cj", "role.rbac.authorization.k8s.io/r",
                        "rolebinding.rbac.authorization.k8s.io/rb", "serviceaccount/sa", "resourcequota/q", "poddisruptionbudget.policy/pdb");
    }

    @Test
    void deleteCollectionHonoursSelectorsAndNamespacesRefuseIt() throws Exception {
        kubectl.run("create", "namespace", "bulk").ok();
        for (String n : new String[] {"a", "b", "c"}) {
            kubectl.run("create", "configmap", n, "-n", "bulk").ok();
        }
        kubectl.run("label", "configmap", "a", "b", "-n", "bulk", "doomed=yes").ok();
        Api api = new Api(server);
        Api.Answer deleted = api.send("DELETE", "/api/v1/namespaces/bulk/configmaps?labelSelector=doomed%3Dyes", null, null);
        assertThat(deleted.code()).isEqualTo(200);
        assertThat(kubectl.run("get", "configmaps", "-n", "bulk", "-o", "name").ok().out()).contains("configmap/c")
                .doesNotContain("configmap/a").doesNotContain("configmap/b");
        Api.Answer refused = api.send("DELETE", "/api/v1/namespaces", null, null);
        assertThat(refused.code()).isEqualTo(405);
        assertThat(JSON.readTree(refused.body()).path("reason").asText()).isEqualTo("MethodNotAllowed");
        assertThat(kubectl.run("get", "namespaces", "-o", "name").ok().out()).contains("namespace/default", "namespace/bulk");
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

        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: fixed, namespace: invalid}
                spec:
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: c, image: busybox}]
                """;
        kubectl.runWithInput(deployment.formatted("one", "one"), "create", "-f", "-").ok();
        r = kubectl.runWithInput(deployment.formatted("two", "two"), "replace", "-f", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).as("kubectl's rendering of a 422 with causes").contains("The Deployment \"fixed\" is invalid: spec.selector: Invalid value: "
                + "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"two\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
                + "field is immutable");
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
        assertThat(bad.err()).contains("\"spec.nope\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        Kubectl.Result badPods = kubectl.run("get", "pods", "-n", "select", "--field-selector", "spec.nope=1");
        assertThat(badPods.err()).contains("field label not supported: spec.nope");
        assertThat(kubectl.run("get", "pods", "-n", "select", "--field-selector", "spec.nodeName=,status.phase!=Running").ok().err())
                .contains("No resources found");
        Kubectl.Result badLabel = kubectl.run("get", "configmaps", "-n", "select", "-l", "app in (web");
        assertThat(badLabel.exit()).isNotZero();
        assertThat(badLabel.err()).contains("unable to parse requirement: found '', expected: ',' or ')'");
    }

    @Test
    void pagingReturnsEveryObjectOnce() throws Exception {
        kubectl.run("create", "namespace", "paging").ok();
        for (int i = 0; i < 25; i++) {
            kubectl.run("create", "configmap", String.format("cm-%02d", i), "-n", "paging").ok();
        }
        // The namespace's kube-root-ca.crt (sorted after cm-*) counts among the remaining items.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> kubectl.run("get", "configmap", "kube-root-ca.crt", "-n", "paging").exit() == 0);
        String all = kubectl.run("get", "configmaps", "-n", "paging", "--chunk-size=7", "-o", "name").ok().out();
        assertThat(all.lines().filter(l -> l.startsWith("configmap/cm-")).distinct().count()).isEqualTo(25);
        JsonNode page = JSON.readTree(kubectl.run("get", "--raw", "/api/v1/namespaces/paging/configmaps?limit=10").ok().out());
        assertThat(page.path("items")).hasSize(10);
        assertThat(page.path("metadata").path("remainingItemCount").asLong()).isEqualTo(16);
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

        Kubectl.Result failedTest = kubectl.run("patch", "configmap", "p", "-n", "patch", "--type", "json", "-p",
                "[{\"op\":\"test\",\"path\":\"/data/b\",\"value\":\"three\"},{\"op\":\"remove\",\"path\":\"/data/b\"}]");
        assertThat(failedTest.exit()).isNotZero();
        assertThat(failedTest.err()).as("a 422 Invalid without a kind, as kubectl prints it").startsWith("The request is invalid: ");
        assertThat(JSON.readTree(kubectl.run("get", "cm", "p", "-n", "patch", "-o", "json").ok().out()).at("/data/b").asText()).isEqualTo("two");

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
    void requestsWithoutCredentialsAreAnonymousAndWrongCredentialsUnauthorized() throws Exception {
        Api anonymous = new Api(server, null);
        Api.Answer answer = anonymous.get("/api/v1/namespaces");
        assertThat(answer.code()).isEqualTo(403);
        assertThat(JSON.readTree(answer.body()).path("message").asText()).isEqualTo(
                "namespaces is forbidden: User \"system:anonymous\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope");
        Api.Answer wrong = new Api(server, "wrong-token").get("/api/v1/namespaces");
        assertThat(wrong.code()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(anonymous.get("/readyz?verbose").body()).contains("[+]ping ok").contains("readyz check passed");
    }

    private static String names(String namespace, String... selector) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("get", "configmaps", "-n", namespace, "-o", "name"));
        args.addAll(java.util.List.of(selector));
        String out = kubectl.run(args.toArray(String[]::new)).ok().out();
        // Every namespace also holds kube-root-ca.crt (published by the root CA controller, as in Kubernetes).
        return String.join(" ", out.lines().map(l -> l.substring(l.indexOf('/') + 1)).filter(n -> !n.equals("kube-root-ca.crt"))
                .sorted().toList());
    }
}
