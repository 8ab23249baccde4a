package io.capstan.agent.pods;

import io.capstan.agent.stats.AgentMetrics;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.ResourceUsage;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A runtime that reports to the agent's metrics: how long each operation takes and whether it failed (named as
 * the kubelet names CRI calls), and each container started, a restart when it is a later attempt.
 */
public final class MeteredRuntime implements ContainerRuntime {

    private final ContainerRuntime runtime;
    private final AgentMetrics metrics;

    public MeteredRuntime(ContainerRuntime runtime, AgentMetrics metrics) {
        this.runtime = runtime;
        this.metrics = metrics;
    }

    @Override
    public String version() {
        return runtime.version();
    }

    @Override
    public Optional<String> unavailableReason() {
        return runtime.unavailableReason();
    }

    @Override
    public SandboxInfo createSandbox(SandboxSpec spec) {
        return metrics.timed("run_podsandbox", () -> runtime.createSandbox(spec));
    }

    @Override
    public void removeSandbox(String sandboxId) {
        metrics.timed("remove_podsandbox", () -> {
            runtime.removeSandbox(sandboxId);
            return null;
        });
    }

    @Override
    public List<SandboxInfo> sandboxes() {
        return metrics.timed("list_podsandbox", runtime::sandboxes);
    }

    @Override
    public ContainerStatus createContainer(String sandboxId, ContainerSpec spec) {
        return metrics.timed("create_container", () -> runtime.createContainer(sandboxId, spec));
    }

    @Override
    public void startContainer(String containerId) {
        metrics.timed("start_container", () -> {
            runtime.startContainer(containerId);
            return null;
        });
        runtime.container(containerId).ifPresent(c -> metrics.containerStarted(
                Boolean.parseBoolean(c.labels().get(RuntimeLabels.INIT)), RuntimeLabels.attempt(c) > 0));
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        metrics.timed("stop_container", () -> {
            runtime.stopContainer(containerId, grace);
            return null;
        });
    }

    @Override
    public void removeContainer(String containerId) {
        metrics.timed("remove_container", () -> {
            runtime.removeContainer(containerId);
            return null;
        });
    }

    @Override
    public Optional<ContainerStatus> container(String containerId) {
        return metrics.timed("container_status", () -> runtime.container(containerId));
    }

    @Override
    public List<ContainerStatus> containers(String sandboxId) {
        return runtime.containers(sandboxId);
    }

    @Override
    public List<ContainerStatus> containers() {
        return metrics.timed("list_containers", runtime::containers);
    }

    @Override
    public ExecSession exec(String containerId, ExecSpec spec) {
        return metrics.timed("exec", () -> runtime.exec(containerId, spec));
    }

    @Override
    public Optional<ResourceUsage> usage(String containerId) {
        return metrics.timed("container_stats", () -> runtime.usage(containerId));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
