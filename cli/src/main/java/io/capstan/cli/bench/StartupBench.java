package io.capstan.cli.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Time to ready: from starting the server process to its first 200 on /readyz. The first run starts
 * on an empty data directory (it makes the cluster CA and the system namespaces); the others restart
 * on that state, as a reboot does.
 */
final class StartupBench {

    private final List<String> launcher;
    private final PrintStream out;

    StartupBench(List<String> launcher, PrintStream out) {
        this.launcher = launcher;
        this.out = out;
    }

    /** Runs the measurements and leaves the last server running for the caller. */
    LocalServer run(Path dataDir, int runs) throws Exception {
        double[] restarts = new double[Math.max(0, runs - 1)];
        for (int i = 1; ; i++) {
            LocalServer server = LocalServer.start(launcher, dataDir);
            double ready = server.awaitReady(Duration.ofMinutes(2));
            out.printf("%-22s %7.0f ms   (process start -> /readyz 200; the server logged %d ms from main() to listening)%n",
                    i == 1 ? "ready, first start" : "ready, restart " + (i - 1), ready, server.loggedReadyMillis());
            if (i > 1) {
                restarts[i - 2] = ready;
            }
            if (i >= runs) {
                if (restarts.length > 0) {
                    Arrays.sort(restarts);
                    out.printf("%-22s %7.0f ms   median of %d restarts, max %.0f ms%n", "ready, restarts", restarts[restarts.length / 2],
                            restarts.length, restarts[restarts.length - 1]);
                }
                return server;
            }
            server.close();
        }
    }
}
