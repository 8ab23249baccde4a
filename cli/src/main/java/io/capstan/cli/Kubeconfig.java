package io.capstan.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;

/** Writes kubeconfigs: the admin's (cluster CA, server address, admin token) and a person's with a client certificate. */
final class Kubeconfig {

    private Kubeconfig() {}

    static String render(String server, String caPem, String token) {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: capstan
                contexts:
                - context:
                    cluster: capstan
                    user: admin
                  name: capstan
                current-context: capstan
                users:
                - name: admin
                  user:
                    token: %s
                preferences: {}
                """.formatted(ca, server, token);
    }

    /** A kubeconfig whose user authenticates with a client certificate (PEM certificate and key). */
    static String renderCertificate(String server, String caPem, String user, String certificatePem, String keyPem) {
        java.util.Base64.Encoder b64 = Base64.getEncoder();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: capstan
                contexts:
                - context:
                    cluster: capstan
                    user: %s
                  name: %s
                current-context: %s
                users:
                - name: %s
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                preferences: {}
                """.formatted(b64.encodeToString(caPem.getBytes(StandardCharsets.UTF_8)), server, quote(user), quote(user + "@capstan"),
                quote(user + "@capstan"), quote(user), b64.encodeToString(certificatePem.getBytes(StandardCharsets.UTF_8)),
                b64.encodeToString(keyPem.getBytes(StandardCharsets.UTF_8)));
    }

    /** A YAML double-quoted scalar: user names may hold ':' (system:...) and other YAML-significant characters. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Writes atomically with mode 0600: it holds the admin's credentials. */
    static void write(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".kubeconfig", ".tmp");
        SecretFiles.restrict(tmp);
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
