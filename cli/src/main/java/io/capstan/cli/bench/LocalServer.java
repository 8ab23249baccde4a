package io.capstan.cli.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A `capstan server` process the benchmark starts itself, on a free loopback port, with its CPU time readable. */
final class LocalServer implements AutoCloseable {

    private static final Pattern LOGGED_READY = Pattern.compile("ready at \\S+ in (\\d+) ms");
    /** Linux reports process times in clock ticks of 10 ms (USER_HZ = 100). */
    private static final long MILLIS_PER_TICK = 10;

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final long startedNanos;

    private LocalServer(Path dataDir, int port, Process process, long startedNanos) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /**
     * Runs launcher (e.g. [java, -jar, capstan.jar] or [bin/capstan]) with `server`, this data directory and any further
     * server flags.
     */
    static LocalServer start(List<String> launcher, Path dataDir, String... serverArgs) throws IOException {
        Files.createDirectories(dataDir);
        int port = freePort();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("server", "--data-dir", dataDir.toString(), "--https-port", Integer.toString(port), "--bind", "127.0.0.1"));
        command.addAll(List.of(serverArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
        long started = System.nanoTime();
        return new LocalServer(dataDir, port, builder.start(), started);
    }

    /** Polls /readyz every 5 ms (over TLS, trusting the cluster CA once it exists); returns ms from process start to 200. */
    double awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path ca = dataDir.resolve("tls").resolve("ca.crt");
        ApiClient client = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + Files.readString(dataDir.resolve("server.log")));
            }
            if (client == null && Files.exists(ca) && Files.size(ca) > 0) {
                client = ApiClient.of("127.0.0.1", port, Files.readAllBytes(ca), null);
            }
            if (client != null) {
                try (HttpConnection c = client.connect()) {
                    if (c.send("GET", "/readyz", null).status() == 200) {
                        return (System.nanoTime() - startedNanos) / 1e6;
                    }
                } catch (Exception notYet) {
                    // not listening yet, or the CA file was still being written
                    if (notYet instanceof javax.net.ssl.SSLHandshakeException) {
                        client = null;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("server not ready within " + timeout);
    }

    /** The start-up time the server logged itself (from its main() to listening), or -1. */
    long loggedReadyMillis() throws IOException {
        Matcher m = LOGGED_READY.matcher(Files.readString(dataDir.resolve("server.log")));
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    Path kubeconfig() {
        return dataDir.resolve("kubeconfig.yaml");
    }

    /** User plus system CPU time of the server process so far, or -1 where /proc is not there. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory of the server in KiB, or -1. */
    long residentKib() {
        return statusKib(process.pid(), "VmRSS");
    }

    /** The most the server has been resident so far (its high-water mark) in KiB, or -1. */
    long peakResidentKib() {
        return statusKib(process.pid(), "VmHWM");
    }

    /** A memory field of /proc/PID/status (VmRSS, VmHWM, ...) in KiB, or -1 where there is none. */
    static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Fails when the server process has exited, with the end of its log. */
    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            String log = Files.readString(dataDir.resolve("server.log"));
            throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log.substring(Math.max(0, log.length() - 4000)));
        }
    }

    /** This java running this jar: how the benchmarks start a server unless told otherwise. */
    static List<String> thisJar() throws java.net.URISyntaxException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(LocalServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return List.of(java, "-jar", jar.toString());
    }

    /** SIGTERM, as an operator stops it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
