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
        return config(server, caPem, "admin", "capstan", "token: " + token);
    }

    /** A kubeconfig whose user authenticates with a client certificate (PEM certificate and key). */
    static String renderCertificate(String server, String caPem, String user, String certificatePem, String keyPem) {
        return config(server, caPem, quote(user), quote(user + "@capstan"), "client-certificate-data: " + base64(certificatePem)
                + "\n    client-key-data: " + base64(keyPem));
    }

    /** One cluster, one user, one context; credentials are the user's fields, lines indented by four. */
    private static String config(String server, String caPem, String user, String context, String credentials) {
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
                    %s
                preferences: {}
                """.formatted(base64(caPem), server, user, context, context, user, credentials);
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
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
