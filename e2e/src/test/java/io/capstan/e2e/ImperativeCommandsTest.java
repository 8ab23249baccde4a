package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl's imperative generators (they send protobuf bodies) and the everyday edits, against a real server. */
class ImperativeCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"));
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        kubectl.run("create", "namespace", "gen").ok();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyGeneratorCreatesWhatKubernetesWould() throws Exception {
        assertThat(run("create", "deployment", "web", "--image=busybox:1", "--replicas=2", "--port=8080")).contains("deployment.apps/web created");
        assertThat(run("create", "configmap", "settings", "--from-literal=color=blue")).contains("configmap/settings created");
        assertThat(run("create", "secret", "generic", "creds", "--from-literal=password=s3cret")).contains("secret/creds created");
        assertThat(run("create", "service", "clusterip", "backend", "--tcp=80:8080")).contains("service/backend created");
        assertThat(run("create", "job", "once", "--image=busybox", "--", "echo", "hi")).contains("job.batch/once created");
        assertThat(run("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *")).contains("cronjob.batch/tick created");
        assertThat(run("run", "solo", "--image=busybox", "--labels=app=solo", "--", "sleep", "3600")).contains("pod/solo created");
        assertThat(run("expose", "deployment", "web", "--port=80", "--target-port=8080")).contains("service/web exposed");

        JsonNode deploy = json("get", "deployment", "web");
        assertThat(deploy.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deploy.path("spec").path("template").path("spec").path("containers").get(0).path("ports").get(0).path("containerPort").asInt())
                .isEqualTo(8080);
        assertThat(json("get", "secret", "creds").path("data").path("password").asText()).isEqualTo("czNjcmV0");
        assertThat(json("get", "job", "once").path("spec").path("template").path("spec").path("containers").get(0).path("command").toString())
                .isEqualTo("[\"echo\",\"hi\"]");
        assertThat(json("get", "cronjob", "tick").path("spec").path("schedule").asText()).isEqualTo("*/5 * * * *");
        assertThat(json("get", "pod", "solo").path("metadata").path("labels").path("app").asText()).isEqualTo("solo");
        JsonNode svc = json("get", "service", "web");
        assertThat(svc.path("spec").path("selector").path("app").asText()).isEqualTo("web");
        assertThat(svc.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(8080);
    }

    @Test
    void labelAnnotateScaleAndDeleteWait() throws Exception {
        run("create", "configmap", "tagged", "--from-literal=a=b");
        assertThat(run("label", "configmap", "tagged", "tier=front")).contains("configmap/tagged labeled");
        assertThat(run("annotate", "configmap", "tagged", "owner=team-a")).contains("configmap/tagged annotated");
        assertThat(run("label", "configmap", "tagged", "tier-")).contains("configmap/tagged unlabeled");
        JsonNode cm = json("get", "configmap", "tagged");
        assertThat(cm.path("metadata").path("labels").has("tier")).isFalse();
        assertThat(cm.path("metadata").path("annotations").path("owner").asText()).isEqualTo("team-a");

        run("create", "deployment", "scaled", "--image=busybox");
        assertThat(run("scale", "deployment", "scaled", "--replicas=5")).contains("deployment.apps/scaled scaled");
        assertThat(json("get", "deployment", "scaled").path("spec").path("replicas").asInt()).isEqualTo(5);
        Kubectl.Result stale = kubectl.run("scale", "deployment", "scaled", "--replicas=1", "--current-replicas=3", "-n", "gen");
        assertThat(stale.exit()).isNotZero();

        assertThat(run("delete", "configmap", "tagged", "--wait=true")).contains("configmap \"tagged\" deleted");
        assertThat(kubectl.run("get", "configmap", "tagged", "-n", "gen").err()).contains("configmaps \"tagged\" not found");
    }

    private static String run(String... args) throws Exception {
        String[] withNs = java.util.Arrays.copyOf(args, args.length + 2);
        // "-n gen" must come before a "--" that ends kubectl's own flags.
        int dash = java.util.Arrays.asList(args).indexOf("--");
        if (dash < 0) {
            withNs[args.length] = "-n";
            withNs[args.length + 1] = "gen";
        } else {
            System.arraycopy(args, 0, withNs, 0, dash);
            withNs[dash] = "-n";
            withNs[dash + 1] = "gen";
            System.arraycopy(args, dash, withNs, dash + 2, args.length - dash);
        }
        return kubectl.run(withNs).ok().out();
    }

    private static JsonNode json(String... args) throws Exception {
        String[] full = java.util.Arrays.copyOf(args, args.length + 4);
        full[args.length] = "-n";
        full[args.length + 1] = "gen";
        full[args.length + 2] = "-o";
        full[args.length + 3] = "json";
        return JSON.readTree(kubectl.run(full).ok().out());
    }
}
