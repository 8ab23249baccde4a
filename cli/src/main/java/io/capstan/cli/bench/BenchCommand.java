package io.capstan.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `capstan bench`: time to ready, and API latency and throughput, against a server it starts or one already running. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure time to ready and create/get/list/watch latency and throughput. Without --kubeconfig it starts "
                + "its own server (in a temporary data directory) and also reports the server's CPU time per request.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", description = "Measure the server of this kubeconfig (token user) instead of starting one.")
    Path kubeconfig;

    @Option(names = "--server-command", split = " ",
            description = "How to start a server (default: this java and jar); `server --data-dir ... --https-port ...` is appended.")
    List<String> serverCommand;

    @Option(names = "--startup-runs", defaultValue = "5", description = "Server starts measured: 1 fresh, the rest restarts (default: ${DEFAULT-VALUE}).")
    int startupRuns;

    @Option(names = "--clients", defaultValue = "32")
    int clients;

    @Option(names = "--single-creates", defaultValue = "1000")
    int singleCreates;

    @Option(names = "--parallel-creates", defaultValue = "10000")
    int parallelCreates;

    @Option(names = "--list-size", defaultValue = "10000")
    int listSize;

    @Option(names = "--watch-events", defaultValue = "500")
    int watchEvents;

    @Override
    public Integer call() throws Exception {
        System.out.println(Environment.describe());
        if (kubeconfig != null) {
            new ApiBench(ApiClient.fromKubeconfig(kubeconfig), System.out, () -> -1)
                    .run(singleCreates, parallelCreates, clients, listSize, watchEvents);
            return 0;
        }
        Path dir = Files.createTempDirectory("capstan-bench");
        try (LocalServer server = new StartupBench(launcher(), System.out).run(dir.resolve("data"), Math.max(1, startupRuns))) {
            new ApiBench(ApiClient.fromKubeconfig(server.kubeconfig()), System.out, server::cpuMillis)
                    .run(singleCreates, parallelCreates, clients, listSize, watchEvents);
            System.out.printf("%-22s %7d MiB resident after the run%n", "server memory", server.residentKib() / 1024);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println(Environment.load() + " at the end, " + Instant.now());
        return 0;
    }

    private List<String> launcher() throws Exception {
        if (serverCommand != null && !serverCommand.isEmpty()) {
            return serverCommand;
        }
        return LocalServer.thisJar();
    }
}
