package io.capstan.agent.pods;

import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.ResourceUsage;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A runtime in memory: tests make its containers exit and see what the agent asked for. */
final class FakeRuntime implements ContainerRuntime {

    final Map<String, SandboxInfo> sandboxes = new LinkedHashMap<>();
    final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
    final Map<String, ContainerSpec> specs = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Clock clock;

    FakeRuntime(Clock clock) {
        this.clock = clock;
    }

    /** Makes a running container exit with a code (and a reason such as OOMKilled). */
    synchronized void exit(String id, int code, String reason) {
        ContainerStatus c = containers.get(id);
        containers.put(id, new ContainerStatus(c.id(), c.sandboxId(), c.name(), c.labels(), ContainerState.EXITED, c.createdAt(),
                c.startedAt(), clock.instant(), code, reason, 0, c.logPath()));
    }

    /** The id of the latest attempt of a container by name. */
    synchronized String latest(String name) {
        return containers.values().stream().filter(c -> c.name().equals(name))
                .max(java.util.Comparator.comparingInt(RuntimeLabels::attempt)).orElseThrow().id();
    }

    @Override
    public String version() {
        return "fake://1";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public synchronized SandboxInfo createSandbox(SandboxSpec spec) {
        return sandboxes.computeIfAbsent(spec.id(), id -> {
            calls.add("sandbox " + id);
            return new SandboxInfo(id, spec.labels(), spec.hostNetwork() ? null : java.nio.file.Path.of("/run/netns/" + id),
                    spec.cgroupParent(), clock.instant());
        });
    }

    @Override
    public synchronized void removeSandbox(String sandboxId) {
        calls.add("remove sandbox " + sandboxId);
        sandboxes.remove(sandboxId);
    }

    @Override
    public synchronized List<SandboxInfo> sandboxes() {
        return List.copyOf(sandboxes.values());
    }

    @Override
    public synchronized ContainerStatus createContainer(String sandboxId, ContainerSpec spec) {
        String id = RuntimeLabels.containerId(spec.labels().get(RuntimeLabels.POD_UID), spec.name(),
                Integer.parseInt(spec.labels().get(RuntimeLabels.ATTEMPT)));
        calls.add("create " + id);
        ContainerStatus c = new ContainerStatus(id, sandboxId, spec.name(), spec.labels(), ContainerState.CREATED, clock.instant(),
                null, null, 0, null, 0, spec.logPath());
        containers.put(id, c);
        specs.put(id, spec);
        return c;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        calls.add("start " + containerId);
        ContainerStatus c = containers.get(containerId);
        containers.put(containerId, new ContainerStatus(c.id(), c.sandboxId(), c.name(), c.labels(), ContainerState.RUNNING,
                c.createdAt(), clock.instant(), null, 0, null, 42, c.logPath()));
    }

    @Override
    public synchronized void stopContainer(String containerId, Duration grace) {
        calls.add("stop " + containerId + " " + grace.toSeconds() + "s");
        exit(containerId, 137, null);
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        calls.add("remove " + containerId);
        containers.remove(containerId);
    }

    @Override
    public synchronized Optional<ContainerStatus> container(String containerId) {
        return Optional.ofNullable(containers.get(containerId));
    }

    @Override
    public synchronized List<ContainerStatus> containers() {
        return List.copyOf(containers.values());
    }

    @Override
    public ExecSession exec(String containerId, ExecSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ResourceUsage> usage(String containerId) {
        return Optional.empty();
    }

    @Override
    public void close() {}
}
