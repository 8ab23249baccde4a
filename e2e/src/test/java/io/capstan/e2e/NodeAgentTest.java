package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers: a `capstan server` with its in-process agent runs pods under conmon and runc, with a
 * busybox image the test builds (umoci) and serves from a docker-registry on 127.0.0.1, driven by the real kubectl.
 */
class NodeAgentTest {

    private static final ObjectMapper JSON = AgentCluster.JSON;

    @TempDir
    static Path dir;
    static AgentCluster cluster;
    static String image;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        image = cluster.image;
        server = cluster.server;
        kubectl = cluster.kubectl;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void apply(String yaml) throws Exception {
        cluster.apply(yaml);
    }

    private JsonNode pod(String ns, String name) throws Exception {
        return cluster.pod(ns, name);
    }

    private void namespace(String ns) throws Exception {
        cluster.namespace(ns);
    }

    @Test
    void aDeploymentOfBusyboxHttpdComesUpReadyAndServesOnItsPodIp() throws Exception {
        namespace("web");
        apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: httpd
                        image: IMAGE
                        command: [sh, -c, "mkdir -p /www && echo hello from $(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www"]
                        ports: [{containerPort: 8080}]
                        readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1}
                """);
        kubectl.run("rollout", "status", "deployment/web", "-n", "web", "--timeout=90s").ok();
        JsonNode pods = JSON.readTree(kubectl.run("get", "pods", "-n", "web", "-o", "json").ok().out()).path("items");
        assertThat(pods).hasSize(2);
        HttpClient http = HttpClient.newHttpClient();
        for (JsonNode p : pods) {
            String ip = p.path("status").path("podIP").asText();
            assertThat(ip).isNotEmpty();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body().trim()).isEqualTo("hello from " + p.path("metadata").path("name").asText());
        }
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        namespace("live");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: flaky, namespace: live}
                spec:
                  containers:
                  - name: app
                    image: IMAGE
                    command: [sh, -c, "touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 600"]
                    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 1}
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("live", "flaky").path("status").path("containerStatuses").path(0)
                .path("restartCount").asInt() >= 1);
        assertThat(kubectl.run("get", "events", "-n", "live").ok().out()).contains("Liveness probe failed");
    }

    @Test
    void aMemoryHogIsOomKilled() throws Exception {
        namespace("oom");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hog, namespace: oom}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: hog
                    image: IMAGE
                    command: [tail, /dev/zero]
                    resources: {limits: {memory: 32Mi}}
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("oom", "hog").path("status").path("phase").asText().equals("Failed"));
        JsonNode terminated = pod("oom", "hog").path("status").path("containerStatuses").path(0).path("state").path("terminated");
        assertThat(terminated.path("reason").asText()).isEqualTo("OOMKilled");
        assertThat(terminated.path("exitCode").asInt()).isEqualTo(137);
    }

    @Test
    void logsFollowAndPrevious() throws Exception {
        namespace("logs");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ticker, namespace: logs}
                spec:
                  containers:
                  - name: tick
                    image: IMAGE
                    command: [sh, -c, "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: crasher, namespace: logs}
                spec:
                  containers:
                  - name: once
                    image: IMAGE
                    command: [sh, -c, "echo ran at $(date +%s%N); sleep 1; exit 1"]
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("logs", "ticker").path("status").path("phase").asText().equals("Running"));
        try (Kubectl.Following follow = kubectl.follow("logs", "-f", "ticker", "-n", "logs", "--tail=1")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> follow.lines().size() >= 5);
            assertThat(follow.lines()).allMatch(l -> l.startsWith("tick "));
        }
        Kubectl.Result none = kubectl.run("logs", "ticker", "-n", "logs", "--previous");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("previous terminated container \"tick\" in pod \"ticker\" not found");

        await().atMost(Duration.ofSeconds(60)).until(() -> pod("logs", "crasher").path("status").path("containerStatuses").path(0)
                .path("restartCount").asInt() >= 1);
        assertThat(kubectl.run("logs", "crasher", "-n", "logs", "--previous").ok().out()).startsWith("ran at ");
    }

    @Test
    void execPassesStdinAndReturnsTheExitCode() throws Exception {
        namespace("exec");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: shell, namespace: exec}
                spec:
                  containers: [{name: sh, image: IMAGE, command: [sleep, "600"]}]
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("exec", "shell").path("status").path("phase").asText().equals("Running"));
        assertThat(kubectl.runWithInput("hi there\n", "exec", "-i", "shell", "-n", "exec", "--", "cat").ok().out()).isEqualTo("hi there\n");
        Kubectl.Result three = kubectl.run("exec", "shell", "-n", "exec", "--", "sh", "-c", "exit 3");
        assertThat(three.exit()).isEqualTo(3);
    }

    @Test
    void aConfigMapChangeReachesTheMountedFile() throws Exception {
        namespace("cfg");
        apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: cfg}
                data: {mode: first}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: reader, namespace: cfg}
                spec:
                  containers:
                  - name: r
                    image: IMAGE
                    command: [sleep, "600"]
                    volumeMounts: [{name: settings, mountPath: /etc/settings}]
                  volumes: [{name: settings, configMap: {name: settings}}]
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("cfg", "reader").path("status").path("phase").asText().equals("Running"));
        assertThat(kubectl.run("exec", "reader", "-n", "cfg", "--", "cat", "/etc/settings/mode").ok().out()).isEqualTo("first");
        kubectl.run("patch", "configmap", "settings", "-n", "cfg", "-p", "{\"data\":{\"mode\":\"second\"}}").ok();
        await().atMost(Duration.ofSeconds(60)).until(() -> kubectl.run("exec", "reader", "-n", "cfg", "--", "cat", "/etc/settings/mode").out()
                .equals("second"));
    }

    @Test
    void dataInAPersistentVolumeClaimSurvivesThePod() throws Exception {
        namespace("pvc");
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: NAME, namespace: pvc}
                spec:
                  containers:
                  - name: c
                    image: IMAGE
                    command: [sh, -c, "CMD"]
                    volumeMounts: [{name: data, mountPath: /data}]
                  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
                """;
        apply("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: pvc}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 10Mi}}
                """);
        apply(pod.replace("NAME", "writer").replace("CMD", "echo kept > /data/file; sleep 600"));
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("pvc", "writer").path("status").path("phase").asText().equals("Running"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kubectl.run("exec", "writer", "-n", "pvc", "--", "cat", "/data/file").out().equals("kept\n"));
        kubectl.run("delete", "pod", "writer", "-n", "pvc", "--grace-period=1", "--wait=true").ok();
        apply(pod.replace("NAME", "reader").replace("CMD", "sleep 600"));
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("pvc", "reader").path("status").path("phase").asText().equals("Running"));
        assertThat(kubectl.run("exec", "reader", "-n", "pvc", "--", "cat", "/data/file").ok().out()).isEqualTo("kept\n");
    }

    @Test
    void aBadImageNameWaitsInErrImagePullWithAClearMessage() throws Exception {
        namespace("badimg");
        kubectl.run("run", "nope", "-n", "badimg", "--image=" + image.replace("busybox:1", "no-such-image:1")).ok();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode waiting = pod("badimg", "nope").path("status").path("containerStatuses").path(0).path("state").path("waiting");
            return waiting.path("reason").asText().matches("ErrImagePull|ImagePullBackOff");
        });
        String events = kubectl.run("get", "events", "-n", "badimg").ok().out();
        assertThat(events).contains("Failed to pull image \"" + image.replace("busybox:1", "no-such-image:1") + "\"");
    }

    @Test
    void containersKeepRunningWhileTheAgentRestarts() throws Exception {
        namespace("keep");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: steady, namespace: keep}
                spec:
                  containers: [{name: c, image: IMAGE, command: [sleep, "600"]}]
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("keep", "steady").path("status").path("phase").asText().equals("Running"));
        String before = pod("keep", "steady").path("status").path("containerStatuses").path(0).path("containerID").asText();
        server.kill9();
        server.launch();
        await().atMost(Duration.ofSeconds(60)).until(() -> kubectl.run("get", "pod", "steady", "-n", "keep").exit() == 0);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode status = pod("keep", "steady").path("status").path("containerStatuses").path(0);
            return status.path("containerID").asText().equals(before) && status.path("restartCount").asInt() == 0
                    && status.path("state").has("running");
        });
    }

    @Test
    void runtimeClassProcessRunsTheCommandOnTheHost() throws Exception {
        namespace("proc");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: onhost, namespace: proc}
                spec:
                  runtimeClassName: process
                  containers:
                  - name: script
                    image: IMAGE
                    command: [sh, -c, "test -x /usr/bin/kubectl && echo sees host files; sleep 600"]
                    resources: {limits: {memory: 64Mi}}
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> pod("proc", "onhost").path("status").path("phase").asText().equals("Running"));
        // kubectl is on the host, not in the busybox image: the command runs on the host's files.
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "onhost", "-n", "proc").out().equals("sees host files\n"));
    }
}
