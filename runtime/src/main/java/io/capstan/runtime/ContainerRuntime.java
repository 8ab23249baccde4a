package io.capstan.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs pod sandboxes and their containers, knowing nothing of Kubernetes (as CRI-O's runtime layer):
 * implementations are OCI (conmon + runc) and plain process. Every call is idempotent where it can be,
 * and {@link #containers()} answers from what is on disk, so a restarted agent adopts what is running.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** What a Node reports as its containerRuntimeVersion, e.g. {@code runc://1.1.5}. */
    String version();

    /** Empty when this runtime can run containers here; otherwise one line saying what is missing (runc, conmon, root). */
    Optional<String> unavailableReason();

    /** Creates the namespaces a pod's containers share (network, IPC, UTS) and its cgroup; returns the existing one for a known id. */
    SandboxInfo createSandbox(SandboxSpec spec);

    /** Stops and removes what is left of a sandbox's containers, then its namespaces and cgroup. Unknown ids are ignored. */
    void removeSandbox(String sandboxId);

    /** Every sandbox this runtime knows, also those created before the agent restarted. */
    List<SandboxInfo> sandboxes();

    /** Creates (does not start) a container in a sandbox. */
    ContainerStatus createContainer(String sandboxId, ContainerSpec spec);

    /** Starts a created container; it runs under its monitor (conmon) and outlives the agent. */
    void startContainer(String containerId);

    /** Sends SIGTERM, waits up to {@code grace}, then SIGKILL; returns once the container has exited. */
    void stopContainer(String containerId, Duration grace);

    /** Removes an exited container and its files (not its log, which the caller owns). Unknown ids are ignored. */
    void removeContainer(String containerId);

    /** The container's current state, read fresh (exit code and reason once it has exited). */
    Optional<ContainerStatus> container(String containerId);

    /** Every container this runtime knows, also those started before the agent restarted. */
    List<ContainerStatus> containers();

    /**
     * The containers of one sandbox. An agent asks this for each of its pods every second, so an implementation
     * that reads state from disk should pick the sandbox's containers before reading their state.
     */
    default List<ContainerStatus> containers(String sandboxId) {
        return containers().stream().filter(c -> c.sandboxId().equals(sandboxId)).toList();
    }

    /** Runs a command inside a running container, streaming its stdio. */
    ExecSession exec(String containerId, ExecSpec spec);

    /** CPU and memory used by a running container, from its cgroup. */
    Optional<ResourceUsage> usage(String containerId);

    @Override
    void close();
}
