package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenAPI v3 through kubectl: explain, and client-side validation and apply that read the schemas. */
class OpenApiTest {

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
    void explainDeploymentStrategy() throws Exception {
        String out = kubectl.run("explain", "deployment.spec.strategy").ok().out();
        assertThat(out).contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1", "FIELD: strategy <DeploymentStrategy>")
                .containsPattern("rollingUpdate\\s+<RollingUpdateDeployment>")
                .containsPattern("type\\s+<string>");
    }

    @Test
    void explainRecursiveWalksNestedTypes() throws Exception {
        String out = kubectl.run("explain", "pods.spec.containers", "--recursive").ok().out();
        assertThat(out).contains("FIELD: containers <[]Container>")
                .containsPattern("env\\s+<\\[\\]EnvVar>")
                .containsPattern("valueFrom\\s+<EnvVarSource>")
                .containsPattern("containerPort\\s+<integer>")
                .containsPattern("limits\\s+<map\\[string\\]");
    }

    @Test
    void explainService() throws Exception {
        String out = kubectl.run("explain", "svc").ok().out();
        assertThat(out).contains("KIND:       Service", "VERSION:    v1")
                .containsPattern("metadata\\s+<ObjectMeta>").containsPattern("spec\\s+<ServiceSpec>");
    }

    @Test
    void applyFindsStrategicMergeMetadataInOpenApiV3() throws Exception {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1
                """;
        kubectl.runWithInput(deployment, "apply", "-f", "-").ok();
        Kubectl.Result second = kubectl.runWithInput(deployment.replace("nginx:1", "nginx:2"), "apply", "-f", "-", "-v=6");
        assertThat(second.err()).as("kubectl finds strategic merge metadata in OpenAPI v3")
                .doesNotContain("OpenAPI V3 path does not support strategic merge patch");
    }

    @Test
    void openApiDocumentsAreCachedByHash() throws Exception {
        String index = kubectl.run("get", "--raw", "/openapi/v3").ok().out();
        assertThat(index).contains("\"apis/apps/v1\":{\"serverRelativeURL\":\"/openapi/v3/apis/apps/v1?hash=");
        Kubectl.Result verbose = kubectl.run("explain", "deployment", "-v=8");
        assertThat(verbose.err()).containsIgnoringCase("Etag:");
    }
}
