package io.capstan.runtime.process;

import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.ResourceUsage;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import io.capstan.runtime.oci.Passwd;
import io.capstan.runtime.oci.RuncOptions;
import io.capstan.runtime.oci.RuncRuntime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a container's command straight on the host, with no image (Kubernetes' {@code runtimeClassName: process},
 * as Nomad's exec driver): conmon and runc as for images, so cgroup limits, the CRI log, exit codes, exec and
 * surviving an agent restart are the same, but the root shows the host's files ({@link HostRoot}) and the sandbox shares the host's
 * network, IPC and UTS namespaces. The process keeps its own PID namespace (so stopping it stops all it forked)
 * and its own mount namespace (so /proc, /dev and volume mounts do not leak onto the host). Use a state root of
 * its own, apart from the image runtime's.
 */
public final class ProcessRuntime implements ContainerRuntime {

    private final RuncRuntime runc;
    private final HostRoot hostRoot;
    private final Path root;

    public ProcessRuntime(RuncOptions options) {
        this.runc = new RuncRuntime(options);
        this.hostRoot = new HostRoot(options.stateRoot().toAbsolutePath().resolve("hostroot"), Path.of("/"));
        this.root = runc.unavailableReason().isEmpty() ? hostRoot.prepare() : null;
    }

    @Override
    public String version() {
        return runc.version();
    }

    @Override
    public Optional<String> unavailableReason() {
        return runc.unavailableReason();
    }

    @Override
    public SandboxInfo createSandbox(SandboxSpec spec) {
        return runc.createSandbox(new SandboxSpec(spec.id(), spec.hostname(), spec.labels(), spec.cgroupParent(), true, true, spec.hostPid()));
    }

    @Override
    public void removeSandbox(String sandboxId) {
        runc.removeSandbox(sandboxId);
    }

    @Override
    public List<SandboxInfo> sandboxes() {
        return runc.sandboxes();
    }

    @Override
    public ContainerStatus createContainer(String sandboxId, ContainerSpec spec) {
        // The host's root (a rootfs the caller may have prepared is not used), with the volumes over it.
        List<ContainerSpec.Mount> mounts = new ArrayList<>(hostRoot.mounts(spec.security().readOnlyRootfs()));
        mounts.addAll(spec.mounts());
        ContainerSpec.User user = spec.user().gid() >= 0 ? spec.user()
                : new ContainerSpec.User(spec.user().uid(), Passwd.primaryGroup(Path.of("/etc/passwd"), spec.user().uid()), spec.user().additionalGids());
        ContainerSpec onHost = new ContainerSpec(spec.name(), spec.labels(), root, spec.args(), spec.env(), spec.workingDir(), user,
                mounts, spec.security(), spec.resources(), spec.tty(), spec.stdin(), spec.stdinOnce(), spec.logPath());
        return runc.createContainer(sandboxId, onHost);
    }

    @Override
    public void startContainer(String containerId) {
        runc.startContainer(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        runc.stopContainer(containerId, grace);
    }

    @Override
    public void removeContainer(String containerId) {
        runc.removeContainer(containerId);
    }

    @Override
    public Optional<ContainerStatus> container(String containerId) {
        return runc.container(containerId);
    }

    @Override
    public List<ContainerStatus> containers() {
        return runc.containers();
    }

    @Override
    public ExecSession exec(String containerId, ExecSpec spec) {
        return runc.exec(containerId, spec);
    }

    @Override
    public Optional<ResourceUsage> usage(String containerId) {
        return runc.usage(containerId);
    }

    @Override
    public void close() {
        runc.close();
    }
}
