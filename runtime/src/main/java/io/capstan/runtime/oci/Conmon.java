package io.capstan.runtime.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.RuntimeFailure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts conmon for one container, as CRI-O does: conmon double-forks, runs {@code runc create}, holds the
 * container's stdio and writes it to the CRI log, writes the exit code into the exit directory and an
 * {@code oom} file into its working directory (the bundle) when the kernel kills for memory. conmon answers
 * on the sync pipe named by {@code _OCI_SYNCPIPE} with {@code {"data": PID}} or {@code {"data": -1,
 * "message": ...}}; Java cannot hand a child an extra pipe, so a shell turns the child's stdout into fd 3.
 */
final class Conmon {

    /** What conmon needs to create one container. */
    record Launch(String id, String name, Path bundle, Path logPath, boolean tty, boolean stdin, boolean stdinOnce) {}

    private final Path binary;
    private final Runc runc;
    private final StateDir state;

    Conmon(Path binary, Runc runc, StateDir state) {
        this.binary = binary;
        this.runc = runc;
        this.state = state;
    }

    /** Creates the container (runc create under conmon); returns its init pid. */
    long create(Launch launch) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 3>&1 1>/dev/null", "sh", binary.toString(),
                "--api-version", "1",
                "-c", launch.id(), "-u", launch.id(), "-n", launch.name(),
                "-r", runc.binary().toString(),
                "-b", launch.bundle().toString(),
                "-p", launch.bundle().resolve("pidfile").toString(),
                "-P", launch.bundle().resolve("conmon.pid").toString(),
                "-l", "k8s-file:" + launch.logPath(),
                "--exit-dir", state.exits().toString(),
                "--socket-dir-path", state.attachSockets().toString(),
                "--log-level", "error",
                "--runtime-arg", "--root=" + runc.root()));
        if (launch.tty()) {
            argv.add("-t");
        }
        if (launch.stdin()) {
            argv.add("-i");
            if (!launch.stdinOnce()) {
                argv.add("--leave-stdin-open");
            }
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(launch.bundle().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("_OCI_SYNCPIPE", "3");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot start conmon: " + e.getMessage(), e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process), Thread::startVirtualThread);
        String line;
        try (BufferedReader sync = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = sync.readLine();
        } catch (IOException e) {
            throw new RuntimeFailure("conmon for " + launch.name() + ": " + e.getMessage(), e);
        }
        waitQuietly(process);
        if (line == null) {
            throw new RuntimeFailure("conmon for container " + launch.name() + " failed: " + stderr.join().strip());
        }
        JsonNode answer;
        try {
            answer = StateDir.JSON.readTree(line);
        } catch (IOException e) {
            throw new RuntimeFailure("conmon for container " + launch.name() + " answered " + line, e);
        }
        long pid = answer.path("data").asLong(-1);
        if (pid <= 0) {
            throw new RuntimeFailure("cannot create container " + launch.name() + ": " + runcMessage(answer.path("message").asText("")));
        }
        return pid;
    }

    /** runc logs as {@code time="..." level=error msg="..."}: the msg is what a user needs. */
    static String runcMessage(String message) {
        int at = message.indexOf("msg=\"");
        if (at < 0) {
            return message.strip();
        }
        String rest = message.substring(at + 5);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '\\' && i + 1 < rest.length()) {
                out.append(rest.charAt(++i));
            } else if (c == '"') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void waitQuietly(Process process) {
        try {
            // The first conmon exits right after forking; the one that stays is not our child.
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
