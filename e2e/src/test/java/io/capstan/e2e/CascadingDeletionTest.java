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
 * Deletion as Kubernetes does it, through the real kubectl: the garbage collector follows the
 * ownerReferences the controllers set (Background, Orphan, Foreground with blockOwnerDeletion), and a deleted
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
        deploymentWithPods("bg", "web");

        kubectl.run("delete", "deployment", "web", "-n", "bg").ok();

        await().atMost(GC_WAIT).until(() -> names("bg", "replicasets,pods").isEmpty());
    }

    @Test
    void orphanCascadeKeepsTheDependentsAndDropsTheirOwnerReference() throws Exception {
        String rs = deploymentWithPods("orphan", "web");

        kubectl.run("delete", "deployment", "web", "-n", "orphan", "--cascade=orphan").ok();

        assertThat(kubectl.run("get", "deployment", "web", "-n", "orphan").exit()).isNotZero();
        await().atMost(GC_WAIT).until(() -> !json("get", "replicaset", rs, "-n", "orphan", "-o", "json")
                .path("metadata").has("ownerReferences"));
        assertThat(names("orphan", "pods")).hasSize(2);
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependents() throws Exception {
        String rs = deploymentWithPods("fg", "web");
        String held = names("fg", "pods").getFirst().substring("pod/".length());
        kubectl.run("patch", "pod", held, "-n", "fg", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}").ok();

        kubectl.run("delete", "deployment", "web", "-n", "fg", "--cascade=foreground", "--wait=false").ok();

        // A pod held by a finalizer keeps its ReplicaSet, and so the Deployment, in foreground deletion.
        await().atMost(GC_WAIT).until(() -> names("fg", "pods").equals(List.of("pod/" + held)));
        JsonNode deploy = json("get", "deployment", "web", "-n", "fg", "-o", "json");
        assertThat(deploy.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
        assertThat(deploy.path("metadata").path("finalizers").toString()).contains("foregroundDeletion");
        assertThat(names("fg", "replicasets")).contains("replicaset.apps/" + rs);

        kubectl.run("patch", "pod", held, "-n", "fg", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}").ok();

        Kubectl.Result waited = kubectl.run("wait", "--for=delete", "deployment/web", "-n", "fg", "--timeout=20s");
        assertThat(waited.exit()).as(waited.err()).isZero();
        assertThat(names("fg", "replicasets,pods")).isEmpty();
    }

    @Test
    void deleteWaitReturnsOnceTheObjectIsGone() throws Exception {
        kubectl.run("create", "namespace", "wait").ok();
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata: {name: solo, namespace: wait}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: solo}}
                  template:
                    metadata: {labels: {app: solo}}
                    spec: {containers: [{name: c, image: busybox}]}
                """, "apply", "-f", "-").ok();
        await().atMost(GC_WAIT).until(() -> names("wait", "pods").size() == 2);

        Kubectl.Result deleted = kubectl.run("delete", "replicaset", "solo", "-n", "wait", "--wait=true", "--cascade=foreground");

        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(kubectl.run("get", "replicaset", "solo", "-n", "wait").err()).contains("replicasets.apps \"solo\" not found");
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
        // The namespace controller reports what is left once its pass has deleted what it could.
        await().atMost(GC_WAIT).until(() -> json("get", "namespace", "doomed", "-o", "json").path("status").path("conditions").toString()
                .contains("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances"));
        JsonNode ns = json("get", "namespace", "doomed", "-o", "json");
        assertThat(ns.path("status").path("phase").asText()).isEqualTo("Terminating");
        assertThat(kubectl.run("get", "namespace", "doomed").ok().out()).containsPattern("doomed\\s+Terminating");
        Kubectl.Result refused = kubectl.run("create", "configmap", "late", "-n", "doomed");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains(
                "configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated");

        kubectl.run("patch", "secret", "held", "-n", "doomed", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}").ok();

        Kubectl.Result waited = kubectl.run("wait", "--for=delete", "namespace/doomed", "--timeout=20s");
        assertThat(waited.exit()).as(waited.err()).isZero();
    }

    /** A Deployment of two pods, made by the controllers; returns the name of its ReplicaSet once both pods exist. */
    private static String deploymentWithPods(String ns, String name) throws Exception {
        kubectl.run("create", "namespace", ns);
        kubectl.run("create", "deployment", name, "-n", ns, "--image=busybox", "--replicas=2").ok();
        await().atMost(GC_WAIT).until(() -> names(ns, "replicasets").size() == 1 && names(ns, "pods").size() == 2);
        return names(ns, "replicasets").getFirst().substring("replicaset.apps/".length());
    }

    private static java.util.List<String> names(String ns, String kinds) throws Exception {
        String out = kubectl.run("get", kinds, "-n", ns, "-o", "name").ok().out().trim();
        return out.isEmpty() ? java.util.List.of() : java.util.List.of(out.split("\n"));
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
