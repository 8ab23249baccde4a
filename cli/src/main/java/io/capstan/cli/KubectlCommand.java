package io.capstan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** `capstan kubectl ARGS...`: the kubectl on PATH with this cluster's kubeconfig, as `k3s kubectl` does. */
@Command(name = "kubectl", description = "Run kubectl against this cluster (uses DATA/kubeconfig.yaml unless KUBECONFIG is set).")
final class KubectlCommand implements Runnable {

    @Override
    public void run() {
        System.exit(run(new String[0]));
    }

    static int run(String[] args) {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            Path file = DataDir.resolve(null).resolve("kubeconfig.yaml");
            if (!Files.exists(file)) {
                System.err.println("capstan: no kubeconfig at " + file + ": start the cluster with `capstan server` first,"
                        + " or set KUBECONFIG or CAPSTAN_DATA_DIR");
                return 1;
            }
            pb.environment().put("KUBECONFIG", file.toString());
        }
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            System.err.println("capstan: cannot run kubectl: " + e.getMessage() + " (is kubectl on PATH?)");
            return 127;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
