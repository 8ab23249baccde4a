package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod Security admission with the real kubectl: an enforcing namespace refuses a privileged pod with Kubernetes'
 * message, warn labels make kubectl print warnings (for pods and for Deployments), a restricted pod runs, labels are
 * validated, a stricter enforce label warns about the pods already there, and the audit log records the verdict.
 */
class PodSecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRIVILEGED_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: x}
            spec:
              containers:
              - name: c
                image: nginx
                securityContext: {privileged: true}
            """;
    private static final String RESTRICTION = "violates PodSecurity \"restricted:latest\": "
            + "privileged (container \"c\" must not set securityContext.privileged=true), "
            + "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;
    static Path auditLog;

    @BeforeAll
    static void startServer() throws Exception {
        Path policy = dir.resolve("audit-policy.yaml");
        Files.writeString(policy, """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: Metadata
                  resources: [{group: "", resources: ["pods"]}]
                - level: None
                """);
        auditLog = dir.resolve("audit.log");
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "1",
                "--audit-log-path", auditLog.toString(), "--audit-policy-file", policy.toString());
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anEnforcingNamespaceRefusesAPrivilegedPodWithKubernetesMessageAndAuditsIt() throws Exception {
        kubectl.run("create", "namespace", "locked").ok();
        kubectl.run("label", "namespace", "locked", "pod-security.kubernetes.io/enforce=restricted").ok();

        Kubectl.Result refused = kubectl.runWithInput(PRIVILEGED_POD, "apply", "-n", "locked", "-f", "-");

        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("Error from server (Forbidden): error when creating \"STDIN\": pods \"x\" is forbidden: "
                + RESTRICTION);
        assertThat(kubectl.run("get", "pods", "-n", "locked", "-o", "name").ok().out()).isBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(auditLog).stream()
                .map(PodSecurityTest::parse)
                .filter(e -> e.at("/objectRef/namespace").asText().equals("locked") && e.path("verb").asText().equals("create"))
                .filter(e -> e.at("/responseStatus/code").asInt() == 403)
                .map(e -> e.at("/annotations/pod-security.kubernetes.io~1enforce-policy").asText()))
                .contains("restricted:latest"));
    }

    @Test
    void aWarnNamespaceLetsThePodInAndKubectlPrintsTheWarning() throws Exception {
        kubectl.run("create", "namespace", "warned").ok();
        kubectl.run("label", "namespace", "warned", "pod-security.kubernetes.io/warn=baseline").ok();

        Kubectl.Result created = kubectl.runWithInput(PRIVILEGED_POD, "create", "-n", "warned", "-f", "-").ok();

        assertThat(created.err()).contains("Warning: would violate PodSecurity \"baseline:latest\": "
                + "privileged (container \"c\" must not set securityContext.privileged=true)");
        assertThat(created.out()).contains("pod/x created");

        // Making enforce stricter than what runs there warns about the pods already there.
        Kubectl.Result labelled = kubectl.run("label", "namespace", "warned", "pod-security.kubernetes.io/enforce=baseline").ok();
        assertThat(labelled.err())
                .contains("Warning: existing pods in namespace \"warned\" violate the new PodSecurity enforce level \"baseline:latest\"")
                .contains("Warning: x: privileged");
    }

    @Test
    void aDeploymentInAWarnNamespaceWarnsAndItsPodsAreRefusedWhereEnforced() throws Exception {
        kubectl.run("create", "namespace", "apps").ok();
        kubectl.run("label", "namespace", "apps", "pod-security.kubernetes.io/warn=restricted").ok();

        Kubectl.Result created = kubectl.run("create", "deployment", "web", "--image=nginx", "-n", "apps").ok();

        assertThat(created.err()).contains("Warning: would violate PodSecurity \"restricted:latest\": "
                + "allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false)");

        kubectl.run("create", "namespace", "strict").ok();
        kubectl.run("label", "namespace", "strict", "pod-security.kubernetes.io/enforce=restricted").ok();
        Kubectl.Result strict = kubectl.run("create", "deployment", "web", "--image=nginx", "-n", "strict").ok();
        assertThat(strict.err()).as("enforce alone warns at its level too").contains("would violate PodSecurity \"restricted:latest\"");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kubectl.run("get", "events", "-n", "strict", "--field-selector", "reason=FailedCreate", "-o", "json").ok().out())
                .contains("is forbidden: violates PodSecurity \\\"restricted:latest\\\""));
    }

    @Test
    void aRestrictedPodIsAcceptedAndRuns() throws Exception {
        kubectl.run("create", "namespace", "tight").ok();
        kubectl.run("label", "namespace", "tight", "pod-security.kubernetes.io/enforce=restricted",
                "pod-security.kubernetes.io/enforce-version=v1.32").ok();
        Kubectl.Result created = kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ok}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: c
                    image: nginx
                    securityContext:
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
                """, "apply", "-n", "tight", "-f", "-").ok();
        assertThat(created.err()).doesNotContain("Warning");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                kubectl.run("get", "pod", "ok", "-n", "tight", "-o", "jsonpath={.status.phase}").out().equals("Running"));
    }

    @Test
    void invalidLevelsAreRefused() throws Exception {
        kubectl.run("create", "namespace", "typo").ok();
        Kubectl.Result refused = kubectl.run("label", "namespace", "typo", "pod-security.kubernetes.io/enforce=strict");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("Namespace \"typo\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: "
                + "Invalid value: \"strict\": must be one of privileged, baseline, restricted");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
