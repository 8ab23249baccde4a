package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.PodWarning;
import io.capstan.agent.env.ContainerConfigError;
import io.capstan.agent.env.EnvResolver;
import io.capstan.agent.env.PodAddresses;
import io.capstan.agent.probes.ContainerSnapshot;
import io.capstan.agent.probes.Outcome;
import io.capstan.agent.probes.ProbeListener;
import io.capstan.agent.probes.ProbeResult;
import io.capstan.agent.probes.ProbeType;
import io.capstan.agent.volumes.ContainerMounts;
import io.capstan.agent.volumes.PodFiles;
import io.capstan.agent.volumes.PodHostname;
import io.capstan.agent.volumes.VolumeError;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.Result;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.RuntimeFailure;
import io.capstan.runtime.RuntimeHandlers;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import io.capstan.runtime.image.Image;
import io.capstan.runtime.image.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass over one pod bound to this node: compares the pod's spec with the runtime's
 * containers, starts what is missing (init containers first, in order), restarts what the restart policy
 * wants restarted after its back-off, stops everything once the pod is being deleted, and reports status.
 */
final class PodSync {

    private static final Logger LOG = LoggerFactory.getLogger(PodSync.class);
    /** How often a pod with live containers is looked at again, to see exits (the kubelet's PLEG relists each second). */
    static final Duration POLL = Duration.ofSeconds(1);
    /** The handler of runtimeClassName "process" (a RuntimeClass Capstan creates at start). */
    static final String PROCESS_HANDLER = "process";
    /** What a container of the process handler "runs": the host, with no image configuration. */
    private static final Image HOST = new Image("", List.of(), List.of(),
            new io.capstan.runtime.image.ImageConfig(List.of(), List.of(), List.of(), "/", "", Map.of(), null), 0);

    private final Api api;
    private final ContainerRuntime runtime;
    private final ImageStore images;
    private final ImagePuller puller;
    private final PodNetwork network;
    private final PodDirectories dirs;
    private final EventRecorder events;
    private final Clock clock;
    private final String hostIp;
    private final PodServices services;
    private final Map<String, PodState> states = new ConcurrentHashMap<>();

    PodSync(Api api, ContainerRuntime runtime, ImageStore images, PodNetwork network, PodDirectories dirs, EventRecorder events,
            Clock clock, String hostIp, PodServices services) {
        this.services = services;
        this.api = api;
        this.runtime = runtime;
        this.images = images;
        this.puller = new ImagePuller(images, api, events, clock);
        this.network = network;
        this.dirs = dirs;
        this.events = events;
        this.clock = clock;
        this.hostIp = hostIp;
    }

    Result sync(ObjectNode pod) {
        String uid = Json.text(pod, "metadata", "uid");
        if (Json.at(pod, "metadata", "deletionTimestamp") != null) {
            terminate(pod);
            return Result.done();
        }
        String phase = Json.text(pod, "status", "phase");
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return Result.done(); // a finished pod's containers stay, stopped, for its logs
        }
        PodState state = states.computeIfAbsent(uid, u -> new PodState(clock));
        Instant now = clock.instant();
        Pod typed = Json.typed(pod, Pod.class);
        SandboxInfo sandbox;
        try {
            sandbox = sandbox(pod, state);
        } catch (RuntimeException e) {
            // The kubelet's words for a sandbox (namespaces, cgroup or network) that could not be made; retried with back-off.
            if (!state.inBackOff("sandbox", state.failedAt.get("sandbox"))) {
                events.warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
                state.failed("sandbox", now);
            }
            return Result.requeueAfter(state.current("sandbox"));
        }
        if (!volumes(pod, typed, state, now)) {
            writeStatus(pod, PodStatusBuilder.build(pod, new PodStatusBuilder.Observed(containersOf(uid), state, true, hostIp, now)));
            return Result.requeueAfter(state.current("volumes"));
        }
        String policy = pod.path("spec").path("restartPolicy").asText("Always");
        boolean initialized = true;
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            boolean sidecar = "Always".equals(c.path("restartPolicy").asText());
            Optional<ContainerStatus> latest = latest(uid, c.path("name").asText(), true);
            if (latest.isEmpty() || latest.get().state() == ContainerState.CREATED) {
                start(pod, c, sandbox, state, latest.map(RuntimeLabels::attempt).orElse(0), true, now);
            } else if (latest.get().state() == ContainerState.EXITED && (latest.get().exitCode() != 0 || sidecar)) {
                if (policy.equals("Never") && !sidecar) {
                    initialized = false;
                    break;
                }
                restart(pod, c, sandbox, state, latest.get(), true, now);
            } else if (latest.get().state() == ContainerState.EXITED) {
                continue; // completed
            }
            Optional<ContainerStatus> after = latest(uid, c.path("name").asText(), true);
            if (!(sidecar && after.map(s -> s.state() == ContainerState.RUNNING).orElse(false))) {
                initialized = false;
                break; // the next init container waits for this one
            }
        }
        if (initialized) {
            for (JsonNode c : pod.path("spec").path("containers")) {
                Optional<ContainerStatus> latest = latest(uid, c.path("name").asText(), false);
                if (latest.isEmpty() || latest.get().state() == ContainerState.CREATED) {
                    start(pod, c, sandbox, state, latest.map(RuntimeLabels::attempt).orElse(0), false, now);
                } else if (latest.get().state() == ContainerState.EXITED && restarts(policy, latest.get().exitCode())) {
                    restart(pod, c, sandbox, state, latest.get(), false, now);
                }
            }
        }
        List<ContainerStatus> now2 = containersOf(uid);
        probe(pod, typed, state, now2);
        ObjectNode status = PodStatusBuilder.build(pod, new PodStatusBuilder.Observed(now2, state, true, hostIp, clock.instant()));
        writeStatus(pod, status);
        String newPhase = status.path("phase").asText();
        return newPhase.equals("Succeeded") || newPhase.equals("Failed") ? Result.done() : Result.requeueAfter(POLL);
    }

    private static boolean restarts(String policy, int exitCode) {
        return policy.equals("Always") || (policy.equals("OnFailure") && exitCode != 0);
    }

    private SandboxInfo sandbox(JsonNode pod, PodState state) {
        String uid = Json.text(pod, "metadata", "uid");
        JsonNode spec = pod.path("spec");
        String hostname = spec.path("hostname").asText(Json.text(pod, "metadata", "name"));
        Map<String, String> labels = new LinkedHashMap<>(
                RuntimeLabels.sandbox(Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), uid));
        if (state.handler == null) {
            state.handler = handler(spec); // a RuntimeClass is looked up once per pod, not on every pass
        }
        if (state.handler != null) {
            labels.put(RuntimeHandlers.HANDLER_LABEL, state.handler);
        }
        SandboxInfo sandbox = runtime.createSandbox(new SandboxSpec(uid, hostname, labels,
                // No parent named here: the runtime gives each sandbox its own cgroup under the agent's --cgroup-root.
                null,
                spec.path("hostNetwork").asBoolean() || PROCESS_HANDLER.equals(state.handler), spec.path("hostIPC").asBoolean(),
                spec.path("hostPID").asBoolean()));
        if (state.podIp == null && !spec.path("hostNetwork").asBoolean() && sandbox.netns() != null) {
            state.podIp = network.setUp(sandbox, pod);
        }
        return sandbox;
    }

    /** The runtime handler of the pod's RuntimeClass (null for the node's default), as the kubelet resolves runtimeClassName. */
    private String handler(JsonNode spec) {
        String className = spec.path("runtimeClassName").asText("");
        if (className.isEmpty()) {
            return null;
        }
        ObjectNode runtimeClass = api.find(Kinds.RUNTIME_CLASSES, "", className)
                .orElseThrow(() -> new RuntimeFailure("runtimeclass.node.k8s.io \"" + className + "\" not found"));
        return runtimeClass.path("handler").asText(className);
    }

    /**
     * Starts the next attempt of an exited container, unless it is backing off since it last finished (the first
     * restart is at once, then 10 s, 20 s … 5 min): meanwhile it waits in CrashLoopBackOff.
     */
    private void restart(JsonNode pod, JsonNode c, SandboxInfo sandbox, PodState state, ContainerStatus exited, boolean init, Instant now) {
        String name = c.path("name").asText();
        Optional<Duration> wait = state.backOff.tryRestart(name, exited.finishedAt());
        if (wait.isPresent()) {
            if (!"CrashLoopBackOff".equals(state.waiting.getOrDefault(name, new PodState.Waiting("", null)).reason())) {
                String podRef = Json.text(pod, "metadata", "name") + "_" + Json.text(pod, "metadata", "namespace")
                        + "(" + Json.text(pod, "metadata", "uid") + ")";
                state.waiting.put(name, new PodState.Waiting("CrashLoopBackOff", "back-off " + wait.get().toSeconds()
                        + "s restarting failed container=" + name + " pod=" + podRef));
                events.warning(pod, "BackOff", "Back-off restarting failed container " + name + " in pod " + podRef);
            }
            return;
        }
        String uid = Json.text(pod, "metadata", "uid");
        int attempt = RuntimeLabels.attempt(exited) + 1;
        // Keep the attempt just before this one (its log answers --previous); older ones go.
        for (ContainerStatus old : containersOf(uid)) {
            if (RuntimeLabels.name(old).equals(name) && RuntimeLabels.attempt(old) < attempt - 1) {
                remove(old);
            }
        }
        start(pod, c, sandbox, state, attempt, init, now);
    }

    private void start(JsonNode pod, JsonNode c, SandboxInfo sandbox, PodState state, int attempt, boolean init, Instant now) {
        String name = c.path("name").asText();
        String ns = Json.text(pod, "metadata", "namespace");
        String podName = Json.text(pod, "metadata", "name");
        String uid = Json.text(pod, "metadata", "uid");
        // The runtime names its containers; the agent finds one attempt again by its labels.
        String rootfsKey = RuntimeLabels.containerId(uid, name, attempt);
        Optional<ContainerStatus> existing = containersOf(uid).stream()
                .filter(s -> RuntimeLabels.name(s).equals(name) && RuntimeLabels.attempt(s) == attempt).findFirst();
        String id = existing.map(ContainerStatus::id).orElse(null);
        try {
            if (id == null) {
                if (state.inBackOff("pull:" + name, state.failedAt.get("pull:" + name))) {
                    state.waiting.put(name, new PodState.Waiting("ImagePullBackOff", "Back-off pulling image \"" + c.path("image").asText() + "\""));
                    return;
                }
                // The process handler runs the command on the host: no image, the host's own files.
                boolean onHost = PROCESS_HANDLER.equals(state.handler);
                Image image = onHost ? HOST : puller.ensure(pod, c);
                state.failedAt.remove("pull:" + name);
                state.imageIds.put(name, image.repoDigests().isEmpty() ? image.id() : image.repoDigests().getFirst());
                Path rootfs = onHost ? null : images.prepareRootfs(image, rootfsKey);
                Container typedContainer = container(pod, name);
                EnvResolver.Resolved resolved = services.env().resolve(Json.typed(pod, Pod.class), typedContainer,
                        new PodAddresses(state.podIp == null ? List.of() : List.of(state.podIp), List.of(hostIp)), Map.of());
                resolved.warnings().forEach(w -> events.warning(pod, w.reason(), w.message()));
                Map<String, String> env = asMap(resolved.env());
                List<ContainerSpec.Mount> mounts = ContainerMounts.build(typedContainer, state.volumes, resolved.env(), state.files,
                        PodFiles.terminationLog(services.volumes().podDir(uid), name));
                Path log = dirs.log(ns, podName, uid, name, attempt);
                Files.createDirectories(log.getParent());
                String hostname = pod.path("spec").path("hostname").asText(podName);
                ContainerSpec spec = new ContainerSpec(name, RuntimeLabels.container(ns, podName, uid, name, attempt, init), rootfs,
                        ContainerSpecs.commandLine(c, image.config(), env), ContainerSpecs.environment(image.config(), env, hostname),
                        c.path("workingDir").asText(image.config().workingDir() == null || image.config().workingDir().isEmpty()
                                ? "/" : image.config().workingDir()),
                        ContainerSpecs.user(pod, c, image.config(), rootfs), mounts, ContainerSpecs.security(c),
                        ContainerSpecs.resources(c), c.path("tty").asBoolean(), c.path("stdin").asBoolean(), c.path("stdinOnce").asBoolean(), log);
                id = runtime.createContainer(sandbox.id(), spec).id();
                events.normal(pod, "Created", "Created container " + name);
            }
            runtime.startContainer(id);
            events.normal(pod, "Started", "Started container " + name);
            Container spec = container(pod, name);
            if (spec.getLifecycle() != null && spec.getLifecycle().getPostStart() != null) {
                // As the kubelet: postStart runs before the container counts as started; if it fails, the container is killed.
                Optional<String> failed = services.probes().hooks().run(spec.getLifecycle().getPostStart(), spec,
                        snapshot(id, state.podIp, false), Duration.ofSeconds(30));
                if (failed.isPresent()) {
                    events.warning(pod, "FailedPostStartHook", "PostStartHook failed: " + failed.get());
                    runtime.stopContainer(id, Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30)));
                }
            }
            state.waiting.remove(name);
            state.ready.remove(name);
        } catch (ImagePuller.PullFailure e) {
            state.waiting.put(name, new PodState.Waiting(e.reason, e.getMessage()));
            state.failed("pull:" + name, now);
        } catch (ContainerConfigError e) {
            state.waiting.put(name, new PodState.Waiting("CreateContainerConfigError", e.getMessage()));
            events.warning(pod, "Failed", "Error: " + e.getMessage());
        } catch (RuntimeFailure | java.io.IOException e) {
            state.waiting.put(name, new PodState.Waiting(id != null ? "RunContainerError" : "CreateContainerError",
                    e.getMessage()));
            events.warning(pod, "Failed", "Error: " + e.getMessage());
            LOG.debug("container {} of {}/{} did not start", name, ns, podName, e);
        }
    }

    private static Map<String, String> asMap(List<String> env) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            map.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return map;
    }

    private static Container container(JsonNode pod, String name) {
        for (String field : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : pod.path("spec").path(field)) {
                if (c.path("name").asText().equals(name)) {
                    return Json.typed(c, Container.class);
                }
            }
        }
        throw new ContainerConfigError("container " + name + " is not in the pod");
    }

    /**
     * Sets up the pod's volumes and its /etc/hosts and resolv.conf the first time, and refreshes configMap,
     * secret, downwardAPI and projected contents on later passes; false (after a FailedMount event) when a volume
     * cannot be set up yet.
     */
    private boolean volumes(JsonNode pod, Pod typed, PodState state, Instant now) {
        if (state.volumes != null) {
            List<VolumeError> errors = new java.util.ArrayList<>();
            services.volumes().refresh(typed, errors);
            return true;
        }
        try {
            state.volumes = services.volumes().setUp(typed);
            String uid = typed.getMetadata().getUid();
            state.files = PodFiles.write(services.volumes().podDir(uid), typed, state.podIp == null ? List.of() : List.of(state.podIp),
                    PodHostname.of(typed, "cluster.local"), services.dns(), "127.0.0.1 localhost\n");
            state.files.warnings().forEach(w -> events.warning(pod, w.reason(), w.message()));
            return true;
        } catch (VolumeError | java.io.UncheckedIOException e) {
            if (!state.inBackOff("volumes", state.failedAt.get("volumes"))) {
                events.warning(pod, "FailedMount", e.getMessage());
                state.failed("volumes", now);
            }
            return false;
        }
    }

    /** Keeps a probe worker on every running container that has probes; results reach the pod's state and status. */
    private void probe(JsonNode pod, Pod typed, PodState state, List<ContainerStatus> containers) {
        String key = Json.text(pod, "metadata", "namespace") + "/" + Json.text(pod, "metadata", "name");
        boolean never = "Never".equals(pod.path("spec").path("restartPolicy").asText());
        java.util.Set<String> all = new java.util.HashSet<>();
        java.util.Set<String> running = new java.util.HashSet<>();
        for (ContainerStatus c : containers) {
            all.add(c.id());
            if (c.state() != ContainerState.RUNNING || Boolean.parseBoolean(c.labels().get(RuntimeLabels.INIT))) {
                continue;
            }
            running.add(c.id());
            String name = RuntimeLabels.name(c);
            services.probes().ensure(c.id(), container(pod, name), () -> snapshot(c.id(), state.podIp, never),
                    new ProbeListener() {
                        @Override
                        public void resultChanged(String containerName, String containerId, ProbeType type, ProbeResult result) {
                            if (type == ProbeType.READINESS) {
                                state.ready.put(containerName, result == ProbeResult.SUCCESS);
                            } else if (result == ProbeResult.FAILURE) {
                                events.normal(pod, "Killing", "Container " + containerName + " failed " + type.display().toLowerCase(java.util.Locale.ROOT)
                                        + " probe, will be restarted");
                                long grace = pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
                                Thread.ofVirtual().start(() -> {
                                    runtime.stopContainer(containerId, Duration.ofSeconds(grace));
                                    services.requeue().accept(key);
                                });
                            }
                            services.requeue().accept(key);
                        }

                        @Override
                        public void attempted(String containerName, ProbeType type, Outcome outcome) {
                            PodWarning warning = outcome.event(type);
                            if (warning != null) {
                                events.warning(pod, warning.reason(), warning.message());
                            }
                        }
                    });
        }
        services.probes().retain(all, running);
    }

    private ContainerSnapshot snapshot(String id, String podIp, boolean restartNever) {
        Optional<ContainerStatus> c = runtime.container(id);
        boolean running = c.map(s -> s.state() == ContainerState.RUNNING).orElse(false);
        return new ContainerSnapshot(id, running ? c.get().startedAt() : null, c.map(s -> s.state() == ContainerState.EXITED).orElse(true),
                podIp, false, false, restartNever);
    }

    /** Stops the pod's containers within its grace period, removes its sandbox and files, then deletes it for good. */
    void terminate(JsonNode pod) {
        String uid = Json.text(pod, "metadata", "uid");
        long grace = pod.path("metadata").path("deletionGracePeriodSeconds")
                .asLong(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30));
        cleanUp(uid, Duration.ofSeconds(grace), pod);
        try {
            api.deleteImmediately(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), uid);
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }

    /** Stops and removes everything the runtime has of a pod; also for pods that vanished while the agent was away. */
    void cleanUp(String uid, Duration grace, JsonNode pod) {
        List<ContainerStatus> containers = containersOf(uid);
        try (var stopping = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (ContainerStatus c : containers) {
                if (c.state() == ContainerState.RUNNING) {
                    if (pod != null) {
                        events.normal(pod, "Killing", "Stopping container " + RuntimeLabels.name(c));
                    }
                    stopping.execute(() -> stop(pod, c, grace));
                }
            }
        }
        containers.forEach(c -> services.probes().stop(c.id()));
        containers.forEach(this::remove);
        services.volumes().teardown(uid);
        for (SandboxInfo sandbox : runtime.sandboxes()) {
            if (RuntimeLabels.podUid(sandbox).equals(uid)) {
                if (pod != null) {
                    network.tearDown(sandbox, pod);
                }
                runtime.removeSandbox(sandbox.id());
            }
        }
        states.remove(uid);
        if (pod != null) {
            deleteTree(dirs.logs(Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), uid));
        }
    }

    /** Runs the container's preStop hook within the grace period, then stops it with what is left of it. */
    private void stop(JsonNode pod, ContainerStatus c, Duration grace) {
        Instant start = clock.instant();
        if (pod != null) {
            try {
                Container spec = container(pod, RuntimeLabels.name(c));
                if (spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null) {
                    services.probes().hooks().run(spec.getLifecycle().getPreStop(), spec,
                            snapshot(c.id(), java.util.Optional.ofNullable(states.get(RuntimeLabels.podUid(c))).map(st -> st.podIp).orElse(null), false), grace)
                            .ifPresent(why -> events.warning(pod, "FailedPreStopHook", "PreStopHook failed: " + why));
                }
            } catch (RuntimeException e) {
                LOG.debug("preStop of {} failed", c.id(), e);
            }
        }
        Duration left = grace.minus(Duration.between(start, clock.instant()));
        runtime.stopContainer(c.id(), left.isNegative() ? Duration.ofSeconds(2) : left);
    }

    private void remove(ContainerStatus c) {
        try {
            runtime.removeContainer(c.id());
        } finally {
            images.releaseRootfs(RuntimeLabels.containerId(RuntimeLabels.podUid(c), RuntimeLabels.name(c), RuntimeLabels.attempt(c)));
        }
    }

    private List<ContainerStatus> containersOf(String uid) {
        // A pod's sandbox id is its uid: only its own containers' state is read (every pod is polled each second).
        return runtime.containers(uid);
    }

    private Optional<ContainerStatus> latest(String uid, String name, boolean init) {
        return containersOf(uid).stream().filter(c -> RuntimeLabels.name(c).equals(name))
                .filter(c -> Boolean.parseBoolean(c.labels().getOrDefault(RuntimeLabels.INIT, "false")) == init)
                .max(Comparator.comparingInt(RuntimeLabels::attempt));
    }

    /** Writes the status when it says something new, so an idle pod costs no writes. */
    private void writeStatus(JsonNode pod, ObjectNode status) {
        JsonNode old = pod.path("status");
        boolean same = true;
        for (var field : status.properties()) {
            if (!field.getValue().equals(old.get(field.getKey()))) {
                same = false;
                break;
            }
        }
        if (same) {
            return;
        }
        try {
            api.patch(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), "status",
                    ApiClient.MERGE_PATCH, Json.object().set("status", status));
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    /** Pod uids this agent has state for. */
    java.util.Set<String> known() {
        return states.keySet();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
