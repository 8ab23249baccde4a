package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image policy with the real kubectl: images from unlisted registries or not pinned by digest are refused with a 403. */
class ImagePolicyTest {

    private static final String DIGEST = "sha256:" + "4f3c".repeat(16);

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        Path policy = dir.resolve("image-policy.yaml");
        Files.writeString(policy, """
                apiVersion: capstan.io/v1alpha1
                kind: ImagePolicy
                allowedRegistries: [registry.example.com/team, docker.io/library]
                requireDigest: true
                namespaces:
                  sandbox: {requireDigest: false}
                """);
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "1", "--image-policy-file", policy.toString());
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void imagesFromElsewhereOrOnATagAreRefusedAndPinnedOnesFromListedRegistriesRun() throws Exception {
        Kubectl.Result elsewhere = kubectl.run("run", "a", "--image=quay.io/other/app:1", "-n", "default");
        assertThat(elsewhere.exit()).isNotZero();
        assertThat(elsewhere.err()).contains("Error from server (Forbidden): pods \"a\" is forbidden: image policy: container \"a\" uses image "
                + "\"quay.io/other/app:1\" (quay.io/other/app:1), which is not from an allowed registry (registry.example.com/team, "
                + "docker.io/library) and is not pinned by digest (image@sha256:...)");

        Kubectl.Result tagged = kubectl.run("run", "b", "--image=nginx:1.27", "-n", "default");
        assertThat(tagged.exit()).isNotZero();
        assertThat(tagged.err()).contains("pods \"b\" is forbidden: image policy: container \"b\" uses image \"nginx:1.27\" "
                + "(docker.io/library/nginx:1.27), which is not pinned by digest (image@sha256:...)");

        kubectl.run("run", "c", "--image=nginx@" + DIGEST, "-n", "default").ok();
        kubectl.run("run", "d", "--image=registry.example.com/team/api:2@" + DIGEST, "-n", "default").ok();
        assertThat(kubectl.run("get", "pods", "-n", "default", "-o", "name").ok().out()).contains("pod/c", "pod/d")
                .doesNotContain("pod/a", "pod/b");
    }

    @Test
    void aNamespaceRuleReplacesTheDefaults() throws Exception {
        kubectl.run("create", "namespace", "sandbox").ok();
        kubectl.run("run", "tagged", "--image=nginx:1.27", "-n", "sandbox").ok();
        Kubectl.Result elsewhere = kubectl.run("run", "other", "--image=ghcr.io/x/y", "-n", "sandbox");
        assertThat(elsewhere.err()).contains("which is not from an allowed registry");
    }
}
