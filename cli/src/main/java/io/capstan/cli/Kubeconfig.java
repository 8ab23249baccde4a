package io.capstan.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;

/** Writes a kubeconfig for the admin: the cluster CA, the server address and the admin token. */
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
