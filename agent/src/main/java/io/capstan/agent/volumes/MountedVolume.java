package io.capstan.agent.volumes;

import java.nio.file.Path;

/**
 * A pod volume set up on the host: where it is, and whether containers must see it read-only whatever their
 * volumeMount says (configMap, secret, downwardAPI and projected volumes, read-only claims).
 */
public record MountedVolume(String name, Path hostPath, boolean readOnly) {}
