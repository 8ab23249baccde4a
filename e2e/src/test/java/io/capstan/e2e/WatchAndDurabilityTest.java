package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches (kubectl -w, resume, bookmarks, 410 after compaction) and durability across kill -9 and SIGTERM. */
class WatchAndDurabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void kubectlWatchSeesAddedModifiedDeleted() throws Exception {
        try (CapstanServer server = CapstanServer.start(dir.resolve("data"))) {
            Kubectl kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
            try (Kubectl.Following watch = kubectl.follow("get", "configmaps", "-n", "default", "-w", "--output-watch-events")) {
                List<String> lines = watch.lines();
                kubectl.run("create", "configmap", "before-watch-check").ok();
                await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.matches("ADDED +before-watch-check .*")));
                kubectl.run("label", "configmap", "before-watch-check", "x=y").ok();
                kubectl.run("delete", "configmap", "before-watch-check").ok();
                await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.matches("DELETED +before-watch-check .*")));
                assertThat(lines).first().asString().matches("EVENT +NAME +DATA +AGE");
                assertThat(lines).anyMatch(l -> l.matches("MODIFIED +before-watch-check .*"));
            }
        }
    }

    @Test
    void acknowledgedWritesSurviveKill9AndWatchResumesAcrossRestart() throws Exception {
        CapstanServer server = CapstanServer.start(dir.resolve("data"));
        try {
            Kubectl kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
            for (int i = 0; i < 20; i++) {
                kubectl.run("create", "configmap", "durable-" + i, "--from-literal=i=" + i).ok();
            }
            String rv = JSON.readTree(kubectl.run("get", "configmap", "durable-19", "-o", "json").ok().out())
                    .path("metadata").path("resourceVersion").asText();
            server.kill9();
            server.launch();
            assertThat(kubectl.run("get", "configmaps", "-o", "name").ok().out().lines()
                    .filter(l -> l.startsWith("configmap/durable-")).count()).isEqualTo(20);
            kubectl.run("create", "configmap", "after-restart").ok();
            kubectl.run("delete", "configmap", "durable-0").ok();

            String events = kubectl.run("get", "--raw",
                    "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + rv + "&timeoutSeconds=2").ok().out();
            List<JsonNode> seen = events.lines().filter(l -> !l.isBlank()).map(WatchAndDurabilityTest::parse).toList();
            assertThat(seen).extracting(e -> e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText())
                    .containsExactly("ADDED after-restart", "DELETED durable-0");

            assertThat(server.terminate()).isIn(0, 143);
            server.launch();
            assertThat(kubectl.run("get", "configmap", "after-restart", "-o", "name").ok().out()).contains("after-restart");
        } finally {
            server.close();
        }
    }

    @Test
    void watchFromACompactedRevisionGets410() throws Exception {
        try (CapstanServer server = CapstanServer.start(dir.resolve("data"), "--compaction-interval", "PT1S", "--compaction-keep", "1")) {
            Kubectl kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
            kubectl.run("create", "configmap", "churn").ok();
            String old = JSON.readTree(kubectl.run("get", "configmap", "churn", "-o", "json").ok().out())
                    .path("metadata").path("resourceVersion").asText();
            for (int i = 0; i < 5; i++) {
                kubectl.run("label", "configmap", "churn", "--overwrite", "round=" + i).ok();
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String out = kubectl.run("get", "--raw",
                        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + old + "&timeoutSeconds=1").ok().out();
                JsonNode event = parse(out.lines().findFirst().orElse("{}"));
                assertThat(event.path("type").asText()).isEqualTo("ERROR");
                assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
            });
            Kubectl.Result list = kubectl.run("get", "--raw",
                    "/api/v1/namespaces/default/configmaps?resourceVersion=" + old + "&resourceVersionMatch=Exact");
            assertThat(list.exit()).isNotZero();
            assertThat(list.err()).contains("too old");
        }
    }

    @Test
    void bookmarksArriveWhenAllowed() throws Exception {
        try (CapstanServer server = CapstanServer.start(dir.resolve("data"), "--watch-bookmark-interval", "PT0.5S")) {
            Kubectl kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
            String out = kubectl.run("get", "--raw",
                    "/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=2").ok().out();
            assertThat(out.lines().map(WatchAndDurabilityTest::parse)).anyMatch(e -> e.path("type").asText().equals("BOOKMARK")
                    && e.path("object").path("metadata").path("resourceVersion").asText().matches("\\d+"));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
