package io.capstan.runtime.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.RuntimeFailure;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts conmon for one container, as CRI-O does: conmon double-forks, runs {@code runc create}, holds the
 * container's stdio and writes it to the CRI log, writes the exit code into the exit directory and an
 * {@code oom} file into its working directory (the bundle) when the kernel kills for memory. conmon answers
 * on the sync pipe named by {@code _OCI_SYNCPIPE} with {@code {"data": PID}} or {@code {"data": -1,
 * "message": ...}}; Java cannot hand a child an extra pipe, so a shell opens a named pipe in the bundle as fd 3.
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
        Path syncPipe = launch.bundle().resolve("sync");
        // $0 is the pipe: the shell opens it as fd 3 and becomes conmon.
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 3>\"$0\"", syncPipe.toString(), binary.toString(),
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
        Commands.check("cannot create conmon's sync pipe", List.of("mkfifo", "-m", "0600", syncPipe.toString()));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(launch.bundle().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("_OCI_SYNCPIPE", "3");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot start conmon: " + e.getMessage(), e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process), Thread::startVirtualThread);
        String line = readSyncPipe(syncPipe, process, launch.name());
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

    /**
     * Reads conmon's one-line answer from a named pipe. Not the child's stdout: Java closes a child's stdout
     * once the child exits, and the first conmon exits right after forking, before the second one answers.
     * The pipe's write end is held by conmon alone, so EOF means it died without answering.
     */
    private static String readSyncPipe(Path pipe, Process process, String name) {
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader sync = Files.newBufferedReader(pipe, StandardCharsets.UTF_8)) {
                return sync.readLine();
            } catch (IOException e) {
                throw new RuntimeFailure("conmon for container " + name + ": " + e.getMessage(), e);
            }
        }, Thread::startVirtualThread);
        try {
            return answer.get(Commands.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Opening a pipe blocks until a writer opens it: open one ourselves so the reader gives up.
            try (var unblock = Files.newOutputStream(pipe)) {
                process.destroyForcibly();
            } catch (IOException ignored) {
                // The reader is gone already.
            }
            throw new RuntimeFailure("conmon for container " + name + " did not answer within " + Commands.TIMEOUT.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeFailure failure ? failure : new RuntimeFailure(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while creating container " + name, e);
        } finally {
            try {
                Files.deleteIfExists(pipe);
            } catch (IOException ignored) {
                // Left in the bundle, which goes with the container.
            }
        }
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
