package io.capstan.runtime.oci;

import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.ResourceUsage;
import io.capstan.runtime.RuntimeFailure;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Runs sandboxes and containers with conmon and runc, as CRI-O does: pinned namespaces per sandbox, one conmon
 * per container that owns its stdio, log and exit file, and everything kept under the state root so that a new
 * instance on the same root adopts what an earlier one started.
 */
public final class RuncRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(RuncRuntime.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final RuncOptions options;
    private final StateDir state;
    private final Optional<String> unavailable;
    private final Cgroups cgroups;
    private final PinnedNamespaces namespaces;
    private final Runc runc;
    private final Conmon conmon;
    private final ContainerStatusReader reader;
    private volatile String version;

    public RuncRuntime(RuncOptions options) {
        this.options = options;
        this.state = new StateDir(options.stateRoot());
        this.unavailable = HostCheck.missing(options.runc(), options.conmon());
        this.cgroups = Cgroups.detect();
        this.namespaces = new PinnedNamespaces(state.namespaces());
        this.runc = options.runc() == null ? null : new Runc(options.runc(), state.runcRoot());
        this.conmon = options.conmon() == null ? null : new Conmon(options.conmon(), runc, state);
        this.reader = new ContainerStatusReader(state, runc);
        if (unavailable.isEmpty()) {
            state.createLayout();
        }
    }

    @Override
    public String version() {
        if (version == null) {
            version = runc == null ? "runc://unknown" : "runc://" + runc.version();
        }
        return version;
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    @Override
    public synchronized SandboxInfo createSandbox(SandboxSpec spec) {
        requireAvailable();
        Optional<SandboxRecord> existing = state.sandbox(spec.id());
        if (existing.isPresent()) {
            return info(existing.get());
        }
        String cgroupParent = spec.cgroupParent() == null || spec.cgroupParent().isBlank()
                ? "/" + options.cgroupRoot() + "/" + spec.id()
                : (spec.cgroupParent().startsWith("/") ? spec.cgroupParent() : "/" + spec.cgroupParent());
        PinnedNamespaces.Pins pins = namespaces.pin(spec.id(), spec.hostname(), spec.hostNetwork(), spec.hostIpc());
        try {
            cgroups.create(cgroupParent);
            SandboxRecord record = new SandboxRecord(spec.id(), spec.hostname(), spec.labels(), cgroupParent, string(pins.net()),
                    string(pins.ipc()), string(pins.uts()), spec.hostPid(), Instant.now().toString());
            state.writeSandbox(record);
            return info(record);
        } catch (RuntimeException e) {
            namespaces.unpin(pins);
            cgroups.remove(cgroupParent);
            throw e;
        }
    }

    @Override
    public void removeSandbox(String sandboxId) {
        requireAvailable();
        for (ContainerRecord container : state.containers()) {
            if (container.sandboxId().equals(sandboxId)) {
                removeContainer(container.id());
            }
        }
        Optional<SandboxRecord> record = state.sandbox(sandboxId);
        if (record.isEmpty()) {
            return;
        }
        SandboxRecord sandbox = record.get();
        namespaces.unpin(new PinnedNamespaces.Pins(path(sandbox.netns()), path(sandbox.ipcns()), path(sandbox.utsns())));
        // conmon leaves the sandbox's cgroup a moment after its container exits.
        Instant deadline = Instant.now().plusSeconds(10);
        while (!cgroups.remove(sandbox.cgroupParent()) && Instant.now().isBefore(deadline)) {
            pause(50);
        }
        if (cgroups.exists(sandbox.cgroupParent())) {
            LOG.warn("cgroup {} of sandbox {} is still busy; leaving it", sandbox.cgroupParent(), sandboxId);
        }
        StateDir.deleteTree(state.sandboxDir(sandboxId));
    }

    @Override
    public List<SandboxInfo> sandboxes() {
        return state.sandboxes().stream().map(RuncRuntime::info).toList();
    }

    @Override
    public ContainerStatus createContainer(String sandboxId, ContainerSpec spec) {
        requireAvailable();
        SandboxRecord sandbox = state.sandbox(sandboxId)
                .orElseThrow(() -> new RuntimeFailure("cannot create container " + spec.name() + ": sandbox " + sandboxId + " does not exist"));
        String id = HexFormat.of().formatHex(randomBytes());
        Path bundle = state.bundle(id);
        String cgroupsPath = sandbox.cgroupParent() + "/" + id;
        ContainerSpec resolved = Passwd.withPrimaryGroup(spec);
        OciSpecBuilder.Context context = new OciSpecBuilder.Context(sandbox.netns(), sandbox.ipcns(), sandbox.utsns(), sandbox.hostPid(),
                cgroupsPath, cgroups.memorySwap(), HostCheck.openFilesLimit(), HostCheck.boundingCapabilities(), spec.security().privileged() ? HostDevices.list() : List.of());
        ContainerRecord record = new ContainerRecord(id, sandboxId, spec.name(), spec.labels(), spec.logPath().toString(), cgroupsPath,
                Instant.now().toString());
        try {
            Files.createDirectories(bundle);
            Files.createDirectories(spec.logPath().toAbsolutePath().getParent());
            StateDir.write(bundle.resolve("config.json"), OciSpecBuilder.build(resolved, context));
            state.writeContainer(record);
            conmon.create(new Conmon.Launch(id, spec.name(), bundle, spec.logPath().toAbsolutePath(), spec.tty(), spec.stdin(), spec.stdinOnce()));
        } catch (IOException | RuntimeException e) {
            discard(id);
            if (e instanceof RuntimeFailure failure) {
                throw failure;
            }
            throw new RuntimeFailure("cannot create container " + spec.name() + ": " + e.getMessage(), e);
        }
        // As CRI-O does: conmon leaves the caller's cgroup, so stopping the agent's service does not take conmon along.
        StateDir.readString(bundle.resolve("conmon.pid")).ifPresent(pid -> cgroups.attach(Long.parseLong(pid), sandbox.cgroupParent() + "/conmon"));
        return reader.status(record);
    }

    @Override
    public void startContainer(String containerId) {
        requireAvailable();
        ContainerStatus status = container(containerId)
                .orElseThrow(() -> new RuntimeFailure("cannot start container " + containerId + ": it does not exist"));
        if (status.state() == ContainerState.RUNNING) {
            return;
        }
        if (status.state() != ContainerState.CREATED) {
            throw new RuntimeFailure("cannot start container " + status.name() + ": it is " + status.state().name().toLowerCase());
        }
        Instant startedAt = Instant.now();
        runc.start(containerId);
        StateDir.writeString(state.bundle(containerId).resolve("started"), startedAt.toString());
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        requireAvailable();
        Optional<ContainerStatus> status = container(containerId);
        if (status.isEmpty() || status.get().state() == ContainerState.EXITED) {
            return;
        }
        if (status.get().state() == ContainerState.RUNNING && !grace.isZero() && !grace.isNegative()) {
            runc.kill(containerId, "TERM");
            if (awaitExit(containerId, grace)) {
                return;
            }
        }
        runc.kill(containerId, "KILL");
        if (!awaitExit(containerId, KILL_WAIT)) {
            throw new RuntimeFailure("container " + status.get().name() + " did not exit within " + KILL_WAIT.toSeconds() + "s of SIGKILL");
        }
    }

    @Override
    public void removeContainer(String containerId) {
        requireAvailable();
        Optional<ContainerStatus> status = container(containerId);
        if (status.isPresent() && status.get().state() != ContainerState.EXITED && status.get().state() != ContainerState.UNKNOWN) {
            stopContainer(containerId, Duration.ZERO);
        }
        discard(containerId);
    }

    @Override
    public Optional<ContainerStatus> container(String containerId) {
        return state.container(containerId).map(reader::status);
    }

    @Override
    public List<ContainerStatus> containers() {
        return state.containers().stream().map(reader::status).toList();
    }

    @Override
    public List<ContainerStatus> containers(String sandboxId) {
        return state.containers().stream().filter(r -> r.sandboxId().equals(sandboxId)).map(reader::status).toList();
    }

    @Override
    public ExecSession exec(String containerId, ExecSpec spec) {
        requireAvailable();
        ContainerStatus status = container(containerId)
                .orElseThrow(() -> new RuntimeFailure("cannot exec in container " + containerId + ": it does not exist"));
        if (status.state() != ContainerState.RUNNING) {
            throw new RuntimeFailure("cannot exec in container " + status.name() + ": it is not running");
        }
        return RuncExecSession.start(runc, containerId, spec);
    }

    @Override
    public Optional<ResourceUsage> usage(String containerId) {
        return state.container(containerId)
                .filter(record -> reader.status(record).state() == ContainerState.RUNNING)
                .flatMap(record -> cgroups.usage(record.cgroupsPath()));
    }

    @Override
    public void close() {
        // Nothing to release: containers run under conmon and outlive this object, as they outlive the agent.
    }

    /** runc's state, the bundle, the exit file and the container's cgroup go; the log stays with its owner. */
    private void discard(String containerId) {
        runc.delete(containerId);
        state.container(containerId).ifPresent(record -> cgroups.remove(record.cgroupsPath()));
        StateDir.deleteTree(state.bundle(containerId));
        try {
            Files.deleteIfExists(state.exitFile(containerId));
        } catch (IOException e) {
            throw new RuntimeFailure("cannot delete the exit file of " + containerId + ": " + e.getMessage(), e);
        }
    }

    private boolean awaitExit(String containerId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<ContainerStatus> status = container(containerId);
            if (status.isEmpty() || status.get().state() == ContainerState.EXITED) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            pause(20);
        }
    }

    private void requireAvailable() {
        unavailable.ifPresent(reason -> {
            throw new RuntimeFailure(reason);
        });
    }

    private static SandboxInfo info(SandboxRecord record) {
        return new SandboxInfo(record.id(), record.labels(), path(record.netns()), record.cgroupParent(), Instant.parse(record.createdAt()));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String string(Path path) {
        return path == null ? null : path.toString();
    }

    private static Path path(String path) {
        return path == null ? null : Path.of(path);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted", e);
        }
    }
}
