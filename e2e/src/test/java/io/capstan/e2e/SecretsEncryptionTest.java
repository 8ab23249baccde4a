package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets encrypted at rest: the SQLite files never hold a secret's value; kubectl sees it; rotation keeps it readable. */
class SecretsEncryptionTest {

    private static final String VALUE = "capstan-e2e-distinctive-s3cr3t-" + System.nanoTime();

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
    void secretValuesAreNotInTheDatabaseFilesAndSurviveKeyRotation() throws Exception {
        Path data = dir.resolve("data");
        server = CapstanServer.start(data);
        Kubectl kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        kubectl.run("create", "secret", "generic", "vault", "--from-literal=password=" + VALUE).ok();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("encryption-config.json"))))
                .isEqualTo("rw-------");

        assertThat(decodedPassword(kubectl)).isEqualTo(VALUE);
        assertValueAbsentFromDatabase(data);

        assertThat(server.terminate()).isIn(0, 143);
        String rotated = capstan("secrets-encrypt", "rotate", "--data-dir", data.toString());
        assertThat(rotated).contains("re-encrypted 1 secrets");
        assertThat(capstan("secrets-encrypt", "status", "--data-dir", data.toString())).contains("Enabled", "* aesgcmkey-");
        assertValueAbsentFromDatabase(data);

        server.launch();
        assertThat(decodedPassword(kubectl)).isEqualTo(VALUE);
        assertThat(kubectl.run("get", "secrets", "-o", "name").ok().out()).contains("secret/vault");
    }

    @Test
    void rotateRefusesWhileTheServerRuns() throws Exception {
        Path data = dir.resolve("data");
        server = CapstanServer.start(data);
        assertThat(capstanExit("secrets-encrypt", "rotate", "--data-dir", data.toString())).isEqualTo(1);
    }

    private static String decodedPassword(Kubectl kubectl) throws Exception {
        String yaml = kubectl.run("get", "secret", "vault", "-o", "yaml").ok().out();
        String encoded = yaml.lines().map(String::trim).filter(l -> l.startsWith("password:")).findFirst().orElseThrow()
                .substring("password:".length()).trim();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    private static void assertValueAbsentFromDatabase(Path data) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(data)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("state.db")).toList();
        }
        assertThat(files).isNotEmpty();
        byte[] plain = VALUE.getBytes(StandardCharsets.UTF_8);
        byte[] base64 = Base64.getEncoder().encodeToString(plain).getBytes(StandardCharsets.UTF_8);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            assertThat(indexOf(bytes, plain)).as("%s holds the value", f).isEqualTo(-1);
            assertThat(indexOf(bytes, base64)).as("%s holds the value's base64", f).isEqualTo(-1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String capstan(String... args) throws Exception {
        Process p = process(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static int capstanExit(String... args) throws Exception {
        Process p = process(args);
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static Process process(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(CapstanServer.javaBinary(), "-jar", System.getProperty("capstan.jar")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
