package io.capstan.runtime.oci;

import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a container's state fresh from disk: conmon's exit file (exit code, and its time as the finish time),
 * the {@code oom} file conmon leaves in the bundle, the {@code started} mark, and runc's own state.
 */
final class ContainerStatusReader {

    /** The exit code reported when conmon died without recording one (CRI-O reports the same as unknown). */
    static final int UNKNOWN_EXIT = 255;

    private final StateDir state;
    private final Runc runc;

    ContainerStatusReader(StateDir state, Runc runc) {
        this.state = state;
        this.runc = runc;
    }

    ContainerStatus status(ContainerRecord record) {
        Path bundle = state.bundle(record.id());
        Instant createdAt = Instant.parse(record.createdAt());
        Instant startedAt = StateDir.readString(bundle.resolve("started")).map(Instant::parse).orElse(null);
        Path exitFile = state.exitFile(record.id());
        Optional<String> exit = StateDir.readString(exitFile).filter(s -> !s.isEmpty());
        if (exit.isPresent()) {
            String reason = Files.exists(bundle.resolve("oom")) ? "OOMKilled" : null;
            return status(record, ContainerState.EXITED, createdAt, startedAt == null ? createdAt : startedAt, modified(exitFile),
                    parse(exit.get()), reason, 0);
        }
        Optional<Runc.State> runcState = runc == null ? Optional.empty() : runc.state(record.id());
        if (runcState.isEmpty()) {
            return status(record, ContainerState.UNKNOWN, createdAt, startedAt, null, 0, null, 0);
        }
        return switch (runcState.get().status()) {
            case CREATED -> status(record, ContainerState.CREATED, createdAt, null, null, 0, null, runcState.get().pid());
            case RUNNING -> status(record, ContainerState.RUNNING, createdAt, startedAt == null ? createdAt : startedAt, null, 0, null,
                    runcState.get().pid());
            // Stopped without an exit file: conmon is about to write it, or died and never will.
            case STOPPED -> conmonAlive(bundle)
                    ? status(record, startedAt == null ? ContainerState.CREATED : ContainerState.RUNNING, createdAt, startedAt, null, 0, null, 0)
                    : status(record, ContainerState.EXITED, createdAt, startedAt == null ? createdAt : startedAt, Instant.now(), UNKNOWN_EXIT,
                            null, 0);
        };
    }

    private static ContainerStatus status(ContainerRecord record, ContainerState state, Instant createdAt, Instant startedAt,
                                          Instant finishedAt, int exitCode, String reason, long pid) {
        return new ContainerStatus(record.id(), record.sandboxId(), record.name(), record.labels(), state, createdAt, startedAt,
                finishedAt, exitCode, reason, pid, Path.of(record.logPath()));
    }

    private static boolean conmonAlive(Path bundle) {
        return StateDir.readString(bundle.resolve("conmon.pid")).map(pid -> {
            try {
                return Runc.alive(Long.parseLong(pid), -1)
                        && Files.readString(Path.of("/proc", pid, "comm")).strip().equals("conmon");
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }).orElse(false);
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    private static int parse(String code) {
        try {
            return Integer.parseInt(code.strip());
        } catch (NumberFormatException e) {
            return UNKNOWN_EXIT;
        }
    }
}
