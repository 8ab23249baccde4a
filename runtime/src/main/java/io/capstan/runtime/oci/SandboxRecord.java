package io.capstan.runtime.oci;

import java.util.Map;

/**
 * A sandbox as kept on disk, so a restarted agent finds it again: the namespace files it pinned (null for a
 * namespace shared with the host) and its cgroup parent.
 */
record SandboxRecord(String id, String hostname, Map<String, String> labels, String cgroupParent, String netns,
                     String ipcns, String utsns, boolean hostPid, String createdAt) {}
