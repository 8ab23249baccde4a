package io.capstan.agent.server;

import io.capstan.api.StatusException;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import java.nio.file.Path;

/**
 * What the agent's streaming server needs from the pods this node runs; the pod workers implement it.
 * Failures are {@link StatusException}s with the kubelet's messages, which reach kubectl unchanged.
 */
public interface PodStreams {

    /**
     * The container's CRI-format log file: the current instance's, or with {@code previous} the one that ran
     * before the last restart. The file need not exist yet (a container that has written nothing).
     *
     * @throws StatusException 404 {@code pods "p" not found} for a pod not on this node; 400
     *     {@code container "c" in pod "p" is not valid}, {@code previous terminated container "c" in pod "p" not found},
     *     or {@code container "c" in pod "p" is waiting to start: ContainerCreating}
     */
    Path logFile(String namespace, String pod, String container, boolean previous);

    /** Whether the container's current instance still runs; a follow ends once this is false and its log is drained. */
    boolean running(String namespace, String pod, String container);

    /**
     * Starts a command in the container's running instance.
     *
     * @throws StatusException as {@link #logFile}, or 400 {@code container "c" in pod "p" is not running}
     */
    ExecSession exec(String namespace, String pod, String container, ExecSpec spec);

    /**
     * Connects to the stdio of the container's main process (kubectl attach). The returned session ends,
     * without stopping the container, when it is closed; its exit code is the container's if it ended.
     * The runtime interface has no attach yet, so by default this is refused.
     */
    default ExecSession attach(String namespace, String pod, String container, boolean stdin, boolean tty) {
        throw StatusException.badRequest("attach is not supported by this node's container runtime");
    }

    /**
     * Reaches the pod's ports for port-forward (kubectl port-forward).
     *
     * @throws StatusException 404 {@code pods "p" not found} for a pod not on this node
     */
    default PodDialer portForward(String namespace, String pod) {
        throw StatusException.badRequest("port forwarding is not supported by this node");
    }
}
