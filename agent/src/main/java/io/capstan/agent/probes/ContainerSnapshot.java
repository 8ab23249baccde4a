package io.capstan.agent.probes;

import java.time.Instant;

/**
 * What a probe worker needs to know of its container now (the kubelet's workers read it from the status manager).
 *
 * @param containerId null while the container does not exist yet
 * @param runningSince when the current container started; null when it is not running
 * @param terminated whether the current container has exited
 * @param podTerminal whether the pod has Succeeded or Failed (the worker then stops)
 * @param podDeleting whether the pod is being deleted (liveness and startup then stop, reporting success)
 * @param restartNever whether the pod's restartPolicy is Never
 */
public record ContainerSnapshot(String containerId, Instant runningSince, boolean terminated, String podIP,
                                boolean podTerminal, boolean podDeleting, boolean restartNever) {}
