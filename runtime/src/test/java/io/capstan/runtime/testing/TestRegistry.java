package io.capstan.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A docker-registry (distribution 2.8) on 127.0.0.1 at a free port, storage in a temporary directory,
 * optionally behind htpasswd basic auth. Images go in with skopeo. {@link #close()} stops it and deletes its
 * files; it is started under {@code setpriv --pdeathsig KILL} and a shutdown hook, so it dies with the test JVM.
 */
public final class TestRegistry implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;
    private final Thread hook;
    private final String username;
    private final String password;

    private TestRegistry(Path dir, int port, Process process, String username, String password) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.username = username;
        this.password = password;
        this.hook = new Thread(this::stop);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** An anonymous registry. */
    public static TestRegistry start() {
        return start(null, null);
    }

    /** A registry that asks for basic auth with this one user. */
    public static TestRegistry start(String username, String password) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(username, password);
            } catch (IllegalStateException e) {
                last = e; // most likely the free port was taken in between
            }
        }
        throw last;
    }

    private static TestRegistry launch(String username, String password) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("capstan-registry-");
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            StringBuilder config = new StringBuilder("""
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("data"), port));
            if (username != null) {
                byte[] salt = new byte[16];
                new SecureRandom().nextBytes(salt);
                String hash = OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 6);
                Files.writeString(dir.resolve("htpasswd"), username + ":" + hash + "\n");
                config.append("""
                        auth:
                          htpasswd:
                            realm: capstan-test
                            path: %s
                        """.formatted(dir.resolve("htpasswd")));
            }
            Files.writeString(dir.resolve("config.yml"), config);
            Process p = new ProcessBuilder("setpriv", "--pdeathsig", "KILL", "docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            TestRegistry registry = new TestRegistry(dir, port, p, username, password);
            try {
                registry.awaitReady();
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            return registry;
        } catch (IOException e) {
            if (dir != null) {
                TestImages.deleteTree(dir);
            }
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("docker-registry did not answer on " + host() + " within 30 s: " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Pushes the layout's {@link TestImages#BUSYBOX_TAG} image as {@code nameTag}; returns the full reference. */
    public String push(Path layoutDir, String nameTag) {
        return copy(layoutDir, nameTag, List.of());
    }

    /** As {@link #push}, with the layers recompressed as zstd. */
    public String pushZstd(Path layoutDir, String nameTag) {
        // Recompressed into a layout of its own first: pushed straight, skopeo may reuse the registry's gzip blob.
        Path zstd = dir.resolve("zstd-" + System.nanoTime());
        try {
            Tools.run(List.of("skopeo", "copy", "--quiet", "--dest-compress-format", "zstd",
                    "oci:" + layoutDir + ":" + TestImages.BUSYBOX_TAG, "oci:" + zstd + ":" + TestImages.BUSYBOX_TAG));
            return copy(zstd, nameTag, List.of());
        } finally {
            TestImages.deleteTree(zstd);
        }
    }

    private String copy(Path layoutDir, String nameTag, List<String> extra) {
        String ref = host() + "/" + nameTag;
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false"));
        if (username != null) {
            cmd.addAll(List.of("--dest-creds", username + ":" + password));
        }
        cmd.addAll(extra);
        cmd.add("oci:" + layoutDir + ":" + TestImages.BUSYBOX_TAG);
        cmd.add("docker://" + ref);
        Tools.run(cmd);
        return ref;
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        TestImages.deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
