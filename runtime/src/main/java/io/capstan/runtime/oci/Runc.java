package io.capstan.runtime.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.RuntimeFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The runc command line under one state root ({@code runc --root}), and runc's state as it keeps it on disk. */
final class Runc {

    /** runc's view of a container: created (waiting for start), running, or stopped; and its init process. */
    enum Status { CREATED, RUNNING, STOPPED }

    record State(Status status, long pid) {}

    private final Path binary;
    private final Path root;

    Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    Path binary() {
        return binary;
    }

    Path root() {
        return root;
    }

    /** {@code runc --version}'s first line's version, e.g. "1.1.5+ds1". */
    String version() {
        String out = Commands.check("runc --version", List.of(binary.toString(), "--version"));
        String first = out.lines().findFirst().orElse("");
        return first.startsWith("runc version ") ? first.substring("runc version ".length()).strip() : first.strip();
    }

    void start(String id) {
        Commands.check("runc start " + id, command("start", id));
    }

    /** Sends a signal to the container's init; false when runc says there is nothing to signal. */
    boolean kill(String id, String signal) {
        return Commands.run(command("kill", id, signal)).ok();
    }

    void delete(String id) {
        Commands.Result result = Commands.run(command("delete", "--force", id));
        if (!result.ok() && Files.exists(root.resolve(id))) {
            throw new RuntimeFailure("runc delete " + id + ": " + result.message());
        }
    }

    /** The argv of {@code runc exec}; with a tty runc must itself run on a terminal. */
    List<String> execCommand(String id, boolean tty, List<String> command) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "exec"));
        if (tty) {
            argv.add("-t");
        }
        argv.add(id);
        argv.addAll(command);
        return argv;
    }

    /**
     * The state as {@code runc state} would answer it, read the way runc itself reads it (its state.json, the
     * init process's start time in /proc, and the exec fifo that exists until start) without running runc:
     * the agent polls every container often. Empty when runc knows no such container.
     */
    Optional<State> state(String id) {
        Path dir = root.resolve(id);
        Optional<JsonNode> json = readJson(dir.resolve("state.json"));
        if (json.isEmpty()) {
            return Optional.empty();
        }
        long pid = json.get().path("init_process_pid").asLong(0);
        long start = json.get().path("init_process_start").asLong(-1);
        if (pid <= 0 || !alive(pid, start)) {
            return Optional.of(new State(Status.STOPPED, 0));
        }
        return Optional.of(new State(Files.exists(dir.resolve("exec.fifo")) ? Status.CREATED : Status.RUNNING, pid));
    }

    private List<String> command(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** A live process with the start time runc recorded (so a reused pid does not count); zombies count as gone. */
    static boolean alive(long pid, long startTime) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return false;
            }
            return startTime < 0 || Long.parseLong(fields[19]) == startTime;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<JsonNode> readJson(Path file) {
        try {
            return Optional.of(StateDir.JSON.readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
