package io.capstan.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real `capstan server` process on a free loopback port with its own data directory; killed on close. */
final class CapstanServer implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private CapstanServer(Path dataDir, int port, List<String> extraArgs) {
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** A control plane without a node agent (tests on simulated nodes need no containers). */
    static CapstanServer start(Path dataDir, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--disable-agent"));
        args.addAll(List.of(extraArgs));
        CapstanServer server = new CapstanServer(dataDir, freePort(), args);
        server.launch();
        return server;
    }

    /**
     * A server with its in-process node agent running real containers; its pod network uses the given bridge and
     * subnet, and its containers the given cgroup root, so that it does not meet other networks on this machine.
     */
    static CapstanServer startWithAgent(Path dataDir, String bridge, String podCidr, String cgroupRoot, String... extraArgs)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--agent-port", Integer.toString(freePort()), "--cni-bridge", bridge,
                "--pod-cidr", podCidr, "--cgroup-root", cgroupRoot, "--node-name", "e2e-node",
                // Free high ports: several servers may run on this host, and 80/443 may be taken.
                "--ingress-http-port", Integer.toString(freePort()), "--ingress-https-port", Integer.toString(freePort())));
        if (!List.of(extraArgs).contains("--bind")) {
            // pods reach the API through Service kubernetes, whose endpoint must not be the host's loopback
            args.addAll(List.of("--bind", "0.0.0.0"));
        }
        args.addAll(List.of(extraArgs));
        CapstanServer server = new CapstanServer(dataDir, freePort(), args);
        server.launch();
        return server;
    }

    Path dataDir() {
        return dataDir;
    }

    int port() {
        return port;
    }

    /** The port a flag of this server was given, e.g. --ingress-http-port. */
    int portFlag(String flag) {
        return Integer.parseInt(extraArgs.get(extraArgs.indexOf(flag) + 1));
    }

    Path kubeconfig() {
        return dataDir.resolve("kubeconfig.yaml");
    }

    String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("admin-token")).trim();
    }

    Path caFile() {
        return dataDir.resolve("tls").resolve("ca.crt");
    }

    Path log() {
        return dataDir.resolve("server.log");
    }

    /** Starts the process and waits until the API answers /readyz. */
    void launch() throws IOException {
        String jar = System.getProperty("capstan.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("capstan.jar not built: " + jar + " (run mvn verify, which packages cli first)");
        }
        Files.createDirectories(dataDir);
        Files.deleteIfExists(kubeconfig());
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar, "server",
                "--data-dir", dataDir.toString(), "--https-port", Integer.toString(port)));
        if (!extraArgs.contains("--bind")) {
            command.addAll(List.of("--bind", "127.0.0.1")); // a test that needs another address (other hosts) names it
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile())).start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("capstan server exited with " + process.exitValue() + ":\n" + Files.readString(log()));
                }
                return Files.exists(kubeconfig()) && Api.healthy(this);
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** SIGKILL, as a crash would: no shutdown hook runs. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator stopping the service; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
