package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service accounts with the real kubectl: default accounts, `kubectl create token`, token authentication, bound tokens, admission. */
class ServiceAccountsTest {

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl admin;

    @BeforeAll
    static void start() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "1");
        admin = new Kubectl(server.kubeconfig(), dir.resolve("cache-admin"));
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.run("get", "serviceaccount", "default", "-n", "default").exit() == 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A kubectl that presents only this bearer token. */
    private static Kubectl withToken(String name, String token) throws IOException {
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
                - name: sa
                  user:
                    token: %s
                contexts:
                - name: sa
                  context:
                    cluster: capstan
                    user: sa
                current-context: sa
                """.formatted(server.port(), server.caFile(), token));
        return new Kubectl(file, dir.resolve("cache-" + name));
    }

    @Test
    void aCreatedTokenAuthenticatesAsTheServiceAccount() throws Exception {
        String token = admin.run("create", "token", "default").ok().out().trim();
        assertThat(token.split("\\.")).hasSize(3);
        Kubectl.Result whoami = admin.run("--token=" + token, "auth", "whoami");
        assertThat(whoami.ok().out()).contains("system:serviceaccount:default:default")
                .contains("system:serviceaccounts:default").contains("system:authenticated");
    }

    @Test
    void aTokenReviewSaysWhoATokenStandsForAndForWhichAudiences() throws Exception {
        String token = admin.run("create", "token", "default", "--audience", "vault").ok().out().trim();
        JsonNode forVault = review(token, "[\"vault\", \"other\"]");
        assertThat(forVault.at("/status/authenticated").asBoolean()).isTrue();
        assertThat(forVault.at("/status/user/username").asText()).isEqualTo("system:serviceaccount:default:default");
        assertThat(forVault.at("/status/audiences").toString()).isEqualTo("[\"vault\"]");
        // not meant for the API server, so with no audiences named it does not authenticate
        JsonNode forApi = review(token, null);
        assertThat(forApi.at("/status/authenticated").asBoolean()).isFalse();
        assertThat(forApi.at("/status/user").isEmpty()).isTrue();
        assertThat(review("not-a-token", null).at("/status/authenticated").asBoolean()).isFalse();
        JsonNode admin = review(server.adminToken(), null);
        assertThat(admin.at("/status/authenticated").asBoolean()).isTrue();
        assertThat(admin.at("/status/audiences/0").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
    }

    private static JsonNode review(String token, String audiences) throws Exception {
        String spec = "{\"token\":\"" + token + "\"" + (audiences == null ? "" : ",\"audiences\":" + audiences) + "}";
        String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":" + spec + "}";
        // --validate=false: the review kinds have no OpenAPI document yet for kubectl's client-side validation
        return new ObjectMapper().readTree(admin.runWithInput(body, "create", "--validate=false", "-f", "-", "-o", "json").ok().out());
    }

    @Test
    void viewBoundServiceAccountListsPodsButCannotDeleteThem() throws Exception {
        admin.run("create", "namespace", "viewers").ok();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.run("get", "sa", "default", "-n", "viewers").exit() == 0);
        admin.run("create", "serviceaccount", "reader", "-n", "viewers").ok();
        admin.run("create", "rolebinding", "reader-view", "--clusterrole=view", "--serviceaccount=viewers:reader", "-n", "viewers").ok();
        admin.run("run", "web", "--image=nginx", "-n", "viewers").ok();
        Kubectl reader = withToken("reader", admin.run("create", "token", "reader", "-n", "viewers").ok().out().trim());
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.run("get", "pods", "-n", "viewers").exit() == 0);
        assertThat(reader.run("get", "pods", "-n", "viewers", "-o", "name").ok().out()).contains("pod/web");
        Kubectl.Result delete = reader.run("delete", "pod", "web", "-n", "viewers");
        assertThat(delete.exit()).isNotZero();
        assertThat(delete.err()).contains("pods \"web\" is forbidden: User \"system:serviceaccount:viewers:reader\" cannot delete "
                + "resource \"pods\" in API group \"\" in the namespace \"viewers\"");
        admin.run("delete", "namespace", "viewers", "--wait=false").ok();
    }

    @Test
    void aTokenBoundToAPodStopsWorkingOnceThePodIsGone() throws Exception {
        admin.run("run", "p", "--image=nginx").ok();
        String token = admin.run("create", "token", "default", "--bound-object-kind", "Pod", "--bound-object-name", "p").ok().out().trim();
        assertThat(admin.run("--token=" + token, "auth", "whoami").ok().out()).contains("system:serviceaccount:default:default");
        admin.run("delete", "pod", "p", "--grace-period=0", "--force").ok();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.run("get", "pod", "p").exit() != 0);
        Kubectl.Result after = admin.run("--token=" + token, "auth", "whoami");
        assertThat(after.exit()).isNotZero();
        assertThat(after.err()).contains("Unauthorized");
    }

    @Test
    void aPodGetsTheServiceAccountVolumeUnlessItOptsOut() throws Exception {
        admin.run("run", "mounted", "--image=nginx").ok();
        String spec = admin.run("get", "pod", "mounted", "-o", "jsonpath={.spec.serviceAccountName} {.spec.volumes[0].name} "
                + "{.spec.containers[0].volumeMounts[0].mountPath}").ok().out();
        assertThat(spec).matches("default kube-api-access-[a-z0-9]{5} /var/run/secrets/kubernetes.io/serviceaccount");
        admin.run("run", "unmounted", "--image=nginx", "--overrides={\"spec\":{\"automountServiceAccountToken\":false}}").ok();
        assertThat(admin.run("get", "pod", "unmounted", "-o", "jsonpath={.spec.volumes}").ok().out()).isEmpty();
        admin.run("delete", "pod", "mounted", "unmounted", "--grace-period=0", "--force").ok();
    }

    @Test
    void aNewNamespaceGetsItsDefaultServiceAccountAndRootCa() throws Exception {
        admin.run("create", "namespace", "fresh").ok();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.run("get", "serviceaccount", "default", "-n", "fresh").exit() == 0
                && admin.run("get", "configmap", "kube-root-ca.crt", "-n", "fresh").exit() == 0);
        String ca = admin.run("get", "configmap", "kube-root-ca.crt", "-n", "fresh", "-o", "jsonpath={.data.ca\\.crt}").ok().out();
        assertThat(ca.trim()).isEqualTo(Files.readString(server.caFile()).trim());
        admin.run("delete", "namespace", "fresh", "--wait=false").ok();
    }
}
