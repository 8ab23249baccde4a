package io.capstan.runtime;

import java.util.Map;

/**
 * What a pod sandbox needs: an id unique on this node, the hostname of its UTS namespace, labels kept
 * with it (the agent stores the pod's identity there), the cgroup parent its containers go under, and
 * whether it shares the host's network, IPC or PID namespace instead of having its own.
 */
public record SandboxSpec(String id, String hostname, Map<String, String> labels, String cgroupParent,
                          boolean hostNetwork, boolean hostIpc, boolean hostPid) {

    public SandboxSpec {
        labels = Map.copyOf(labels);
    }
}
