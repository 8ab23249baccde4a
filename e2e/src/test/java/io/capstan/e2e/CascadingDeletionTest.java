package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletion as Kubernetes does it, through the real kubectl: the garbage collector follows
 * ownerReferences (Background, Orphan, Foreground with blockOwnerDeletion), and a deleted
 * namespace stays Terminating until everything in it, finalizers included, is gone.
 */
class CascadingDeletionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GC_WAIT = Duration.ofSeconds(20);

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
    void deletingADeploymentTakesItsReplicaSetsAndTheirPods() throws Exception {
        deploymentWithReplicaSetAndPods("bg", "web", false);

        kubectl.run("delete", "deployment", "web", "-n", "bg").ok();

        await().atMost(GC_WAIT).until(() -> names("bg", "replicasets,pods").isEmpty());
    }

    @Test
    void orphanCascadeKeepsTheDependentsAndDropsTheirOwnerReference() throws Exception {
        deploymentWithReplicaSetAndPods("orphan", "web", false);

        kubectl.run("delete", "deployment", "web", "-n", "orphan", "--cascade=orphan").ok();

        assertThat(kubectl.run("get", "deployment", "web", "-n", "orphan").exit()).isNotZero();
        assertThat(names("orphan", "replicasets")).contains("replicaset.apps/web-1");
        JsonNode rs = json("get", "replicaset", "web-1", "-n", "orphan", "-o", "json");
        assertThat(rs.path("metadata").has("ownerReferences")).isFalse();
        assertThat(names("orphan", "pods")).hasSize(2);
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependents() throws Exception {
        deploymentWithReplicaSetAndPods("fg", "web", true);

        kubectl.run("delete", "deployment", "web", "-n", "fg", "--cascade=foreground", "--wait=false").ok();

        // A pod held by a finalizer keeps its ReplicaSet, and so the Deployment, in foreground deletion.
        await().atMost(GC_WAIT).until(() -> names("fg", "pods").equals(java.util.List.of("pod/web-1-held")));
        JsonNode deploy = json("get", "deployment", "web", "-n", "fg", "-o", "json");
        assertThat(deploy.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
        assertThat(deploy.path("metadata").path("finalizers").toString()).contains("foregroundDeletion");
        assertThat(names("fg", "replicasets")).contains("replicaset.apps/web-1");

        kubectl.run("patch", "pod", "web-1-held", "-n", "fg", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}").ok();

        Kubectl.Result waited = kubectl.run("wait", "--for=delete", "deployment/web", "-n", "fg", "--timeout=20s");
        assertThat(waited.exit()).as(waited.err()).isZero();
        assertThat(names("fg", "replicasets,pods")).isEmpty();
    }

    @Test
    void deleteWaitReturnsOnceTheObjectIsGone() throws Exception {
        kubectl.run("create", "namespace", "wait").ok();
        deploymentWithReplicaSetAndPods("wait", "web", false);

        Kubectl.Result deleted = kubectl.run("delete", "replicaset", "web-1", "-n", "wait", "--wait=true", "--cascade=foreground");

        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(kubectl.run("get", "replicaset", "web-1", "-n", "wait").err()).contains("replicasets.apps \"web-1\" not found");
        assertThat(names("wait", "pods")).isEmpty();
    }

    @Test
    void aDeletedNamespaceTerminatesUntilItsContentAndFinalizersAreGone() throws Exception {
        kubectl.run("create", "namespace", "doomed").ok();
        kubectl.run("create", "configmap", "plain", "-n", "doomed", "--from-literal=a=b").ok();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: held
                  namespace: doomed
                  finalizers: ["example.com/hold"]
                stringData: {k: v}
                """, "apply", "-f", "-").ok();

        kubectl.run("delete", "namespace", "doomed", "--wait=false").ok();

        await().atMost(GC_WAIT).until(() -> names("doomed", "configmaps").isEmpty());
        JsonNode ns = json("get", "namespace", "doomed", "-o", "json");
        assertThat(ns.path("status").path("phase").asText()).isEqualTo("Terminating");
        assertThat(ns.path("status").path("conditions").toString())
                .contains("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
        assertThat(kubectl.run("get", "namespace", "doomed").ok().out()).containsPattern("doomed\\s+Terminating");
        Kubectl.Result refused = kubectl.run("create", "configmap", "late", "-n", "doomed");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains(
                "configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated");

        kubectl.run("patch", "secret", "held", "-n", "doomed", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}").ok();

        Kubectl.Result waited = kubectl.run("wait", "--for=delete", "namespace/doomed", "--timeout=20s");
        assertThat(waited.exit()).as(waited.err()).isZero();
    }

    /** A Deployment, a ReplicaSet it owns and two pods the ReplicaSet owns, made by hand as the controllers will make them. */
    private static void deploymentWithReplicaSetAndPods(String ns, String name, boolean holdOnePod) throws Exception {
        kubectl.run("create", "namespace", ns);
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec: {containers: [{name: c, image: busybox}]}
                """.formatted(name, ns), "apply", "-f", "-").ok();
        String deployUid = json("get", "deployment", name, "-n", ns, "-o", "json").path("metadata").path("uid").asText();
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %1$s-1
                  namespace: %2$s
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: %1$s, uid: %3$s, controller: true, blockOwnerDeletion: true}]
                spec:
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec: {containers: [{name: c, image: busybox}]}
                """.formatted(name, ns, deployUid), "apply", "-f", "-").ok();
        String rsUid = json("get", "replicaset", name + "-1", "-n", ns, "-o", "json").path("metadata").path("uid").asText();
        for (String pod : new String[] {name + "-1-a", holdOnePod ? name + "-1-held" : name + "-1-b"}) {
            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: %1$s
                      namespace: %2$s
                      labels: {app: web}
                      ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %3$s, uid: %4$s, controller: true, blockOwnerDeletion: true}]
                      finalizers: %5$s
                    spec: {containers: [{name: c, image: busybox}]}
                    """.formatted(pod, ns, name + "-1", rsUid, pod.endsWith("held") ? "[example.com/hold]" : "[]"), "apply", "-f", "-").ok();
        }
    }

    private static java.util.List<String> names(String ns, String kinds) throws Exception {
        String out = kubectl.run("get", kinds, "-n", ns, "-o", "name").ok().out().trim();
        return out.isEmpty() ? java.util.List.of() : java.util.List.of(out.split("\n"));
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
