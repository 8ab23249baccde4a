package io.capstan.runtime.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a short system command (mount, umount, umoci) and turns a failure into an IOException carrying its output. */
final class Commands {

    private Commands() {}

    static void run(Path cwd, List<String> command) throws IOException {
        output(cwd, command);
    }

    /** Runs the command and returns its output (stdout and stderr together). */
    static String output(Path cwd, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).directory(cwd == null ? null : cwd.toFile()).redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + rc + "): " + output);
            }
            return output;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.getFirst() + " interrupted", e);
        }
    }
}
