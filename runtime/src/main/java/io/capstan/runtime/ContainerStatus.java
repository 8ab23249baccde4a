package io.capstan.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A container as the runtime sees it now. Once {@link ContainerState#EXITED}: {@code exitCode}, {@code finishedAt}
 * and {@code reason} ("OOMKilled" when the kernel killed it for memory, otherwise null) are set.
 */
public record ContainerStatus(String id, String sandboxId, String name, Map<String, String> labels, ContainerState state,
                              Instant createdAt, Instant startedAt, Instant finishedAt, int exitCode, String reason,
                              long pid, Path logPath) {

    public ContainerStatus {
        labels = Map.copyOf(labels);
    }
}
