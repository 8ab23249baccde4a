package io.capstan.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Several runtimes behind one interface, picked per sandbox by its handler label as CRI's runtime handlers
 * are (Kubernetes' RuntimeClass names a handler): a sandbox and its containers stay with the runtime that made it.
 */
public final class RuntimeHandlers implements ContainerRuntime {

    /** The sandbox label naming its handler; without it, the default handler runs it. */
    public static final String HANDLER_LABEL = "io.capstan.runtime.handler";

    private final String defaultHandler;
    private final Map<String, ContainerRuntime> handlers;

    /** @param handlers by name, the default among them */
    public RuntimeHandlers(String defaultHandler, Map<String, ContainerRuntime> handlers) {
        if (!handlers.containsKey(defaultHandler)) {
            throw new IllegalArgumentException("no runtime for the default handler " + defaultHandler);
        }
        this.defaultHandler = defaultHandler;
        this.handlers = new LinkedHashMap<>(handlers);
    }

    /** Whether this node has a runtime for the handler. */
    public boolean supports(String handler) {
        return handlers.containsKey(handler);
    }

    private ContainerRuntime byDefault() {
        return handlers.get(defaultHandler);
    }

    @Override
    public String version() {
        return byDefault().version();
    }

    @Override
    public Optional<String> unavailableReason() {
        return byDefault().unavailableReason();
    }

    @Override
    public SandboxInfo createSandbox(SandboxSpec spec) {
        String handler = spec.labels().getOrDefault(HANDLER_LABEL, defaultHandler);
        ContainerRuntime runtime = handlers.get(handler);
        if (runtime == null) {
            throw new RuntimeFailure("no runtime handler \"" + handler + "\" on this node (it has " + String.join(", ", handlers.keySet()) + ")");
        }
        return runtime.createSandbox(spec);
    }

    @Override
    public void removeSandbox(String sandboxId) {
        for (ContainerRuntime runtime : handlers.values()) {
            if (runtime.sandboxes().stream().anyMatch(s -> s.id().equals(sandboxId))) {
                runtime.removeSandbox(sandboxId);
            }
        }
    }

    @Override
    public List<SandboxInfo> sandboxes() {
        List<SandboxInfo> all = new ArrayList<>();
        handlers.values().forEach(r -> all.addAll(r.sandboxes()));
        return all;
    }

    @Override
    public ContainerStatus createContainer(String sandboxId, ContainerSpec spec) {
        for (ContainerRuntime runtime : handlers.values()) {
            if (runtime.sandboxes().stream().anyMatch(s -> s.id().equals(sandboxId))) {
                return runtime.createContainer(sandboxId, spec);
            }
        }
        throw new RuntimeFailure("cannot create container " + spec.name() + ": sandbox " + sandboxId + " does not exist");
    }

    /** The runtime that holds a container; the default one for ids none knows (it answers "does not exist"). */
    private ContainerRuntime owner(String containerId) {
        for (ContainerRuntime runtime : handlers.values()) {
            if (runtime.container(containerId).isPresent()) {
                return runtime;
            }
        }
        return byDefault();
    }

    @Override
    public void startContainer(String containerId) {
        owner(containerId).startContainer(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        owner(containerId).stopContainer(containerId, grace);
    }

    @Override
    public void removeContainer(String containerId) {
        owner(containerId).removeContainer(containerId);
    }

    @Override
    public Optional<ContainerStatus> container(String containerId) {
        for (ContainerRuntime runtime : handlers.values()) {
            Optional<ContainerStatus> found = runtime.container(containerId);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<ContainerStatus> containers() {
        List<ContainerStatus> all = new ArrayList<>();
        handlers.values().forEach(r -> all.addAll(r.containers()));
        return all;
    }

    @Override
    public List<ContainerStatus> containers(String sandboxId) {
        List<ContainerStatus> all = new ArrayList<>();
        handlers.values().forEach(r -> all.addAll(r.containers(sandboxId)));
        return all;
    }

    @Override
    public ExecSession exec(String containerId, ExecSpec spec) {
        return owner(containerId).exec(containerId, spec);
    }

    @Override
    public Optional<ResourceUsage> usage(String containerId) {
        return owner(containerId).usage(containerId);
    }

    @Override
    public void close() {
        handlers.values().forEach(ContainerRuntime::close);
    }
}
