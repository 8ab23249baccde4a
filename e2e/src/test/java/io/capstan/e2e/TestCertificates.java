package io.capstan.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Client certificates made with openssl, as an administrator makes them for a user or a tool. */
final class TestCertificates {

    private TestCertificates() {}

    /** A key (beside it, USER.key) and a client certificate (returned) for user (CN) in group (O), signed by the given CA. */
    static Path issue(Path dir, String user, String group, Path caCert, Path caKey) throws Exception {
        Path key = dir.resolve(user + ".key");
        Path csr = dir.resolve(user + ".csr");
        Path cert = dir.resolve(user + ".crt");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/O=" + group + "/CN=" + user, "-keyout", key.toString(), "-out", csr.toString());
        Path ext = dir.resolve(user + ".ext");
        Files.writeString(ext, "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "1", "-extfile", ext.toString(), "-out", cert.toString());
        return cert;
    }

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
