package io.capstan.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The capstan command: server, kubectl, and what later issues add. */
@Command(name = "capstan", mixinStandardHelpOptions = true, version = "capstan 0.1.0 (Kubernetes v1.32)",
        description = "A Kubernetes-compatible container orchestrator in one jar.",
        subcommands = {ServerCommand.class, AgentCommand.class, KubectlCommand.class, ImageCommand.class, KubeconfigCommand.class, SecretsEncryptCommand.class, SimCommand.class, io.capstan.cli.bench.BenchCommand.class,
                io.capstan.cli.bench.WorkloadBenchCommand.class, io.capstan.cli.bench.PodBenchCommand.class,
                io.capstan.cli.bench.ServiceBenchCommand.class, io.capstan.cli.bench.DnsBenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("kubectl")) {
            // kubectl's own flags must reach it untouched, so it is not parsed by picocli.
            System.exit(KubectlCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
