package io.capstan.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A sandbox as it exists: its labels, and the pinned network namespace the network plugins set up
 * (null when it shares the host's network).
 */
public record SandboxInfo(String id, Map<String, String> labels, Path netns, String cgroupParent, Instant createdAt) {

    public SandboxInfo {
        labels = Map.copyOf(labels);
    }
}
