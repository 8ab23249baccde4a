package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log with the real kubectl: denied requests are recorded with their user and code; Request level keeps the body. */
class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    CapstanServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDeniedRequestIsAuditedWithItsUserAndCodeAndRequestLevelKeepsTheObject() throws Exception {
        Path policy = dir.resolve("audit-policy.yaml");
        Files.writeString(policy, """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: None
                  nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
                - level: Request
                  resources:
                  - group: ""
                    resources: ["configmaps"]
                - level: Metadata
                """);
        Path log = dir.resolve("audit").resolve("audit.log");
        server = CapstanServer.start(dir.resolve("data"), "--audit-log-path", log.toString(), "--audit-policy-file", policy.toString());
        Kubectl admin = new Kubectl(server.kubeconfig(), dir.resolve("cache-admin"));
        admin.run("create", "rolebinding", "dana-view", "--clusterrole=view", "--user=dana", "-n", "default").ok();
        Kubectl dana = new Kubectl(userKubeconfig("dana"), dir.resolve("cache-dana"));
        await().atMost(Duration.ofSeconds(10)).until(() -> dana.run("get", "configmaps", "-n", "default").exit() == 0);

        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: audited}
                data: {colour: ultramarine}
                """;
        assertThat(dana.runWithInput(manifest, "create", "-n", "default", "-f", "-").err()).contains("forbidden");
        admin.runWithInput(manifest, "create", "-n", "default", "-f", "-").ok();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> events = events(log);
            JsonNode denied = events.stream().filter(e -> e.at("/user/username").asText().equals("dana")
                    && e.path("verb").asText().equals("create")).findFirst().orElseThrow();
            assertThat(denied.path("kind").asText()).isEqualTo("Event");
            assertThat(denied.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
            assertThat(denied.path("stage").asText()).isEqualTo("ResponseComplete");
            assertThat(denied.at("/responseStatus/code").asInt()).isEqualTo(403);
            assertThat(denied.at("/responseStatus/reason").asText()).isEqualTo("Forbidden");
            assertThat(denied.at("/objectRef/resource").asText()).isEqualTo("configmaps");
            assertThat(denied.at("/objectRef/namespace").asText()).isEqualTo("default");
            assertThat(denied.path("requestURI").asText()).startsWith("/api/v1/namespaces/default/configmaps");
            assertThat(denied.path("sourceIPs").get(0).asText()).isEqualTo("127.0.0.1");
            assertThat(denied.path("auditID").asText()).isNotEmpty();
            assertThat(denied.path("requestReceivedTimestamp").asText()).isNotEmpty();
            assertThat(denied.path("stageTimestamp").asText()).isNotEmpty();

            // The control plane (also system:admin) creates configmaps of its own (kube-root-ca.crt): pick the test's.
            JsonNode created = events.stream().filter(e -> e.at("/user/username").asText().equals("system:admin")
                    && e.path("verb").asText().equals("create") && e.at("/objectRef/resource").asText().equals("configmaps")
                    && e.at("/requestObject/metadata/name").asText().equals("audited"))
                    .findFirst().orElseThrow();
            assertThat(created.path("level").asText()).isEqualTo("Request");
            assertThat(created.at("/responseStatus/code").asInt()).isEqualTo(201);
            assertThat(created.at("/requestObject/data/colour").asText()).isEqualTo("ultramarine");

            assertThat(events).noneMatch(e -> e.path("requestURI").asText().startsWith("/readyz"));
            assertThat(events).filteredOn(e -> e.at("/objectRef/resource").asText().equals("rolebindings"))
                    .allSatisfy(e -> assertThat(e.path("level").asText()).isEqualTo("Metadata"))
                    .allSatisfy(e -> assertThat(e.has("requestObject")).isFalse());
        });
    }

    private static List<JsonNode> events(Path log) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    private Path userKubeconfig(String user) throws Exception {
        Path out = dir.resolve(user + ".kubeconfig");
        Process p = new ProcessBuilder(CapstanServer.javaBinary(), "-jar", System.getProperty("capstan.jar"), "kubeconfig",
                "--user", user, "--data-dir", server.dataDir().toString(), "--out", out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return out;
    }
}
