package io.capstan.cli;

import io.capstan.apiserver.tls.ClusterCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `capstan kubeconfig --user NAME --group G...`: a kubeconfig for a person, with a client certificate
 * the cluster CA signs (CN = user, O = each group), which the API server reads as that user and groups.
 */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
        description = "Write a kubeconfig with a client certificate for a user, issued from the cluster CA.")
final class KubeconfigCommand implements Callable<Integer> {

    @Option(names = "--user", required = true, description = "The user name (certificate CN).")
    String user;

    @Option(names = "--group", description = "A group of the user (certificate O; repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--data-dir", description = "The server's state directory (default: as `capstan server`).")
    Path dataDir;

    @Option(names = "--out", description = "Where to write the kubeconfig (default: standard output).")
    Path out;

    @Option(names = "--server", description = "The API address (default: the one in DATA/kubeconfig.yaml, else https://127.0.0.1:6443).")
    String server;

    @Option(names = "--validity", defaultValue = "P365D", description = "How long the certificate is valid (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration validity;

    @Override
    public Integer call() throws Exception {
        Path data = DataDir.resolve(dataDir);
        if (user.isBlank()) {
            System.err.println("error: --user must not be empty");
            return 2;
        }
        ClusterCertificates certs = ClusterCertificates.load(data.resolve("tls"));
        ClusterCertificates.IssuedCertificate issued = certs.issueClientCertificate(user, groups, validity);
        String config = Kubeconfig.renderCertificate(server != null ? server : serverOf(data), certs.caPem(), user,
                issued.certificatePem(), issued.keyPem());
        if (out == null) {
            System.out.print(config);
        } else {
            Kubeconfig.write(out, config);
        }
        return 0;
    }

    /** The address the server wrote into the admin kubeconfig. */
    private static String serverOf(Path data) throws java.io.IOException {
        Path admin = data.resolve("kubeconfig.yaml");
        if (Files.exists(admin)) {
            for (String line : Files.readAllLines(admin)) {
                String t = line.strip();
                if (t.startsWith("server:")) {
                    return t.substring("server:".length()).strip();
                }
            }
        }
        return "https://127.0.0.1:6443";
    }
}
