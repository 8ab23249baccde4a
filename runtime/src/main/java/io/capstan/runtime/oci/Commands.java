package io.capstan.runtime.oci;

import io.capstan.runtime.RuntimeFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (runc, umount, unshare) to its end and captures what it printed. */
final class Commands {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a finished command returned. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The command's own words for a failure: its stderr, else its stdout, trimmed to one line where it can be. */
        String message() {
            String text = stderr.isBlank() ? stdout : stderr;
            return text.strip().replace('\n', ' ');
        }
    }

    private Commands() {}

    static Result run(List<String> argv) {
        return run(argv, TIMEOUT);
    }

    static Result run(List<String> argv, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        // Both streams are drained at once so neither can fill its pipe and stall the command.
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), Thread::startVirtualThread);
        String stderr = read(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RuntimeFailure(String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + "s");
            }
            return new Result(process.exitValue(), stdout.join(), stderr);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while running " + argv.getFirst(), e);
        }
    }

    /** Runs a command that must succeed; a failure becomes a RuntimeFailure saying what was asked and what was answered. */
    static String check(String what, List<String> argv) {
        Result result = run(argv);
        if (!result.ok()) {
            throw new RuntimeFailure(what + ": " + result.message());
        }
        return result.stdout();
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
