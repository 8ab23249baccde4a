package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC with the real kubectl: users from a static token file and from `capstan kubeconfig`
 * certificates, bound to the default view, edit and admin roles in one namespace.
 */
class RbacTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl admin;
    static Kubectl alice;
    static Kubectl bob;
    static Kubectl carol;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = dir.resolve("tokens.csv");
        Files.writeString(tokens, "alice-token,alice,uid-alice,\"dev,readers\"\nbob-token,bob,uid-bob\ncarol-token,carol,uid-carol\n");
        server = CapstanServer.start(dir.resolve("data"), "--token-auth-file", tokens.toString());
        admin = new Kubectl(server.kubeconfig(), dir.resolve("cache-admin"));
        alice = user("alice");
        bob = user("bob");
        carol = user("carol");
        admin.run("create", "namespace", "team").ok();
        admin.run("create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "team").ok();
        admin.run("create", "rolebinding", "bob-edit", "--clusterrole=edit", "--user=bob", "-n", "team").ok();
        admin.run("create", "rolebinding", "carol-admin", "--clusterrole=admin", "--user=carol", "-n", "team").ok();
        admin.run("run", "web", "--image=nginx", "-n", "team").ok();
        // Bindings reach the authorizer through a watch: wait until the last one is in force.
        await().atMost(Duration.ofSeconds(10)).until(() -> carol.run("get", "rolebindings", "-n", "team").exit() == 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Kubectl user(String name) throws IOException {
        Path file = dir.resolve(name + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: capstan
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    token: %s-token
                contexts:
                - name: %s
                  context:
                    cluster: capstan
                    user: %s
                current-context: %s
                """.formatted(server.port(), server.caFile(), name, name, name, name, name));
        return new Kubectl(file, dir.resolve("cache-" + name));
    }

    @Test
    void viewCanListPodsButNotDeleteThem() throws Exception {
        assertThat(alice.run("get", "pods", "-n", "team", "-o", "name").ok().out()).contains("pod/web");

        Kubectl.Result delete = alice.run("delete", "pod", "web", "-n", "team");
        assertThat(delete.exit()).isNotZero();
        assertThat(delete.err()).contains("Error from server (Forbidden): pods \"web\" is forbidden: "
                + "User \"alice\" cannot delete resource \"pods\" in API group \"\" in the namespace \"team\"");
        assertThat(admin.run("get", "pod", "web", "-n", "team").exit()).isZero();
    }

    @Test
    void viewSeesNothingOutsideItsNamespace() throws Exception {
        Kubectl.Result list = alice.run("get", "pods", "-n", "default");
        assertThat(list.err()).contains("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" "
                + "in the namespace \"default\"");
        assertThat(alice.run("get", "namespace", "team", "-o", "name").ok().out().trim()).isEqualTo("namespace/team");
        assertThat(alice.run("get", "namespace", "default").err()).contains("namespaces \"default\" is forbidden: User \"alice\" "
                + "cannot get resource \"namespaces\" in API group \"\" in the namespace \"default\"");
        Kubectl.Result nodes = alice.run("get", "nodes");
        assertThat(nodes.err()).contains("nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" "
                + "at the cluster scope");
    }

    @Test
    void aForbiddenAnswerIsAKubernetesStatus() throws Exception {
        Api.Answer answer = new Api(server, "alice-token").get("/api/v1/namespaces/team/secrets/x");
        assertThat(answer.code()).isEqualTo(403);
        JsonNode status = JSON.readTree(answer.body());
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("secrets");
        assertThat(status.path("details").path("name").asText()).isEqualTo("x");
        assertThat(status.path("message").asText()).isEqualTo("secrets \"x\" is forbidden: User \"alice\" cannot get resource "
                + "\"secrets\" in API group \"\" in the namespace \"team\"");
    }

    @Test
    void editCannotCreateRoleBindings() throws Exception {
        Kubectl.Result r = bob.run("create", "rolebinding", "root", "--clusterrole=cluster-admin", "--user=bob", "-n", "team");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("rolebindings.rbac.authorization.k8s.io is forbidden: User \"bob\" cannot create resource "
                + "\"rolebindings\" in API group \"rbac.authorization.k8s.io\" in the namespace \"team\"");
    }

    @Test
    void adminCannotGrantClusterAdminButCanGrantEdit() throws Exception {
        Kubectl.Result r = carol.run("create", "rolebinding", "root", "--clusterrole=cluster-admin", "--user=carol", "-n", "team");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("rolebindings.rbac.authorization.k8s.io \"root\" is forbidden: user \"carol\" "
                + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:")
                .contains("{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}");

        carol.run("create", "rolebinding", "dave-edit", "--clusterrole=edit", "--user=dave", "-n", "team").ok();
    }

    @Test
    void canIListsTheRulesOfTheUser() throws Exception {
        String out = alice.run("auth", "can-i", "--list", "-n", "team").ok().out();
        assertThat(out).containsPattern("(?m)^pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]");
        assertThat(out).contains("selfsubjectaccessreviews.authorization.k8s.io");
        assertThat(out).doesNotContainPattern("(?m)^secrets ");
    }

    @Test
    void canIWithImpersonationAsksForTheOtherUser() throws Exception {
        assertThat(admin.run("auth", "can-i", "create", "pods", "-n", "team", "--as", "bob").out().trim()).isEqualTo("yes");
        Kubectl.Result no = admin.run("auth", "can-i", "create", "pods", "-n", "team", "--as", "alice");
        assertThat(no.out().trim()).isEqualTo("no");
        assertThat(no.exit()).isEqualTo(1);
        assertThat(alice.run("auth", "can-i", "get", "pods", "-n", "team").out().trim()).isEqualTo("yes");

        Kubectl.Result impersonate = alice.run("get", "pods", "-n", "team", "--as", "bob");
        assertThat(impersonate.err()).contains("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" "
                + "in API group \"\" at the cluster scope");
        assertThat(admin.run("get", "pods", "-n", "default", "--as", "alice").err())
                .contains("User \"alice\" cannot list resource \"pods\"");
    }

    @Test
    void discoveryListsTheReviewKindsAsCreateOnly() throws Exception {
        String out = admin.run("api-resources", "-o", "wide", "--api-group=authorization.k8s.io").ok().out();
        assertThat(out).containsPattern("selfsubjectaccessreviews\\s+authorization.k8s.io/v1\\s+false\\s+SelfSubjectAccessReview\\s+create")
                .containsPattern("localsubjectaccessreviews\\s+authorization.k8s.io/v1\\s+true\\s+LocalSubjectAccessReview\\s+create");
        assertThat(admin.run("api-resources", "--api-group=authentication.k8s.io").ok().out()).contains("selfsubjectreviews");
    }

    @Test
    void whoamiNamesTheUserAndGroups() throws Exception {
        String out = alice.run("auth", "whoami").ok().out();
        assertThat(out).containsPattern("Username\\s+alice").containsPattern("UID\\s+uid-alice")
                .containsPattern("Groups\\s+\\[dev readers system:authenticated\\]");
        assertThat(admin.run("auth", "whoami", "--as", "eve", "--as-group", "ops").ok().out())
                .containsPattern("Username\\s+eve").containsPattern("Groups\\s+\\[ops system:authenticated\\]");
    }

    @Test
    void capstanKubeconfigIssuesACertificateForAUserAndGroups() throws Exception {
        Path out = dir.resolve("frank.kubeconfig");
        Process p = new ProcessBuilder(CapstanServer.javaBinary(), "-jar", System.getProperty("capstan.jar"), "kubeconfig",
                "--user", "frank", "--group", "team-viewers", "--group", "dev", "--data-dir", server.dataDir().toString(),
                "--out", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.getPosixFilePermissions(out)).hasSize(2);
        Kubectl frank = new Kubectl(out, dir.resolve("cache-frank"));

        assertThat(frank.run("auth", "whoami").ok().out()).containsPattern("Username\\s+frank")
                .containsPattern("Groups\\s+\\[team-viewers dev system:authenticated\\]");
        assertThat(frank.run("get", "pods", "-n", "team").err()).contains("User \"frank\" cannot list resource \"pods\"");
        admin.run("create", "rolebinding", "viewers", "--clusterrole=view", "--group=team-viewers", "-n", "team").ok();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(frank.run("get", "pods", "-n", "team", "-o", "name").ok().out()).contains("pod/web"));
    }

    @Test
    void anonymousMayReadHealthAndVersionOnly() throws Exception {
        Api anonymous = new Api(server, null);
        assertThat(anonymous.get("/healthz").code()).isEqualTo(200);
        assertThat(anonymous.get("/version").code()).isEqualTo(200);
        Api.Answer api = anonymous.get("/api");
        assertThat(api.code()).isEqualTo(403);
        assertThat(JSON.readTree(api.body()).path("message").asText())
                .isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\"");
        assertThat(new Api(server, "alice-token").get("/apis").code()).isEqualTo(200);
    }

    @Test
    void theDefaultRolesAreAggregated() throws Exception {
        JsonNode edit = JSON.readTree(admin.run("get", "clusterrole", "edit", "-o", "json").ok().out());
        assertThat(edit.path("aggregationRule").path("clusterRoleSelectors")).hasSize(1);
        List<String> resources = edit.path("rules").findValues("resources").stream()
                .flatMap(r -> java.util.stream.StreamSupport.stream(r.spliterator(), false)).map(JsonNode::asText).toList();
        assertThat(resources).contains("pods", "deployments", "secrets");

        // A new role labelled for aggregation joins view (the ClusterRoleAggregation controller).
        admin.runWithInput("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: crontab-viewer
                  labels:
                    rbac.authorization.k8s.io/aggregate-to-view: "true"
                rules:
                - apiGroups: ["stable.example.com"]
                  resources: ["crontabs"]
                  verbs: ["get", "list"]
                """, "apply", "-f", "-").ok();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(admin.run("get", "clusterrole", "admin", "-o", "json").ok().out()).contains("crontabs"));
    }
}
