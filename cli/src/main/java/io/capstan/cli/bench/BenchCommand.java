package io.capstan.cli.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `capstan bench`: API latency and throughput figures against a running server. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure create/get/list/watch latency and throughput against a running server.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, description = "Kubeconfig of the server to measure (token user).")
    Path kubeconfig;

    @Option(names = "--clients", defaultValue = "32")
    int clients;

    @Option(names = "--single-creates", defaultValue = "1000")
    int singleCreates;

    @Option(names = "--parallel-creates", defaultValue = "10000")
    int parallelCreates;

    @Option(names = "--list-size", defaultValue = "10000")
    int listSize;

    @Override
    public Integer call() throws Exception {
        new ApiBench(ApiClient.fromKubeconfig(kubeconfig), System.out).run(singleCreates, parallelCreates, clients, listSize);
        return 0;
    }
}
