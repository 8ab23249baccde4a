package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client certificates: signed by the cluster CA they authenticate kubectl; signed by anyone else they do not. */
class ClientCertificateTest {

    @TempDir
    static Path dir;
    static CapstanServer server;

    @BeforeAll
    static void start() throws Exception {
        server = CapstanServer.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCertificateFromTheClusterCaAuthenticatesKubectl() throws Exception {
        Path tls = server.dataDir().resolve("tls");
        Path cert = issue("alice", tls.resolve("ca.crt"), tls.resolve("ca.key"));
        Kubectl kubectl = new Kubectl(kubeconfig("alice", cert), dir.resolve("cache-alice"));
        // CN is the user and O the group: a binding to group dev lets alice read.
        new Kubectl(server.kubeconfig(), dir.resolve("cache-admin"))
                .run("create", "clusterrolebinding", "dev-view", "--clusterrole=view", "--group=dev").ok();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                kubectl.run("get", "namespace", "kube-system", "-o", "name").ok().out().trim()).isEqualTo("namespace/kube-system"));
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        TestCertificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=rogue-ca", "-keyout", dir.resolve("rogue-ca.key").toString(), "-out", dir.resolve("rogue-ca.crt").toString());
        Path cert = issue("mallory", dir.resolve("rogue-ca.crt"), dir.resolve("rogue-ca.key"));
        Kubectl kubectl = new Kubectl(kubeconfig("mallory", cert), dir.resolve("cache-mallory"));
        Kubectl.Result result = kubectl.run("get", "namespaces", "-o", "name");
        assertThat(result.exit()).isNotZero();
        assertThat(result.out()).doesNotContain("namespace/");
    }

    /** A key and a certificate for user (CN) in group dev (O), signed by the given CA. */
    private static Path issue(String user, Path caCert, Path caKey) throws Exception {
        return TestCertificates.issue(dir, user, "dev", caCert, caKey);
    }

    private static Path kubeconfig(String user, Path cert) throws IOException {
        Path file = dir.resolve(user + ".kubeconfig");
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
                    client-certificate: %s
                    client-key: %s
                contexts:
                - name: %s
                  context: {cluster: capstan, user: %s}
                current-context: %s
                """.formatted(server.port(), server.caFile(), user, cert, dir.resolve(user + ".key"), user, user, user));
        return file;
    }
}
