package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.server.PodStreams;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.client.ObjectCache;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.SandboxInfo;
import io.capstan.agent.server.PodConnection;
import io.capstan.agent.server.PodDialer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Logs and exec for the streaming server, found through this node's pods and the runtime's containers of each. */
final class AgentPodStreams implements PodStreams {

    private final ObjectCache pods;
    private final ContainerRuntime runtime;

    AgentPodStreams(ObjectCache pods, ContainerRuntime runtime) {
        this.pods = pods;
        this.runtime = runtime;
    }

    @Override
    public Path logFile(String namespace, String pod, String container, boolean previous) {
        List<ContainerStatus> attempts = attempts(namespace, pod, container);
        if (previous) {
            // As the kubelet: the instance created before the newest one, whatever state the newest is in.
            Optional<ContainerStatus> before = attempts.size() > 1 ? Optional.of(attempts.get(1)) : Optional.empty();
            return before.map(ContainerStatus::logPath).orElseThrow(() -> StatusException.badRequest(
                    "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"));
        }
        if (attempts.isEmpty()) {
            throw StatusException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: "
                    + waitingReason(namespace, pod, container));
        }
        return attempts.getFirst().logPath();
    }

    @Override
    public boolean running(String namespace, String pod, String container) {
        List<ContainerStatus> attempts = attempts(namespace, pod, container);
        return !attempts.isEmpty() && runtime.container(attempts.getFirst().id())
                .map(c -> c.state() == ContainerState.RUNNING).orElse(false);
    }

    @Override
    public ExecSession exec(String namespace, String pod, String container, ExecSpec spec) {
        List<ContainerStatus> attempts = attempts(namespace, pod, container);
        if (attempts.isEmpty() || attempts.getFirst().state() != ContainerState.RUNNING) {
            throw StatusException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is not running");
        }
        return runtime.exec(attempts.getFirst().id(), spec);
    }

    /**
     * Dials the pod's IP from the node (a hostNetwork pod's ports on the loopback); when that is refused, dials
     * 127.0.0.1 inside the pod's network namespace through a helper process, so ports a pod binds only to its
     * loopback are reached too, as the kubelet reaches them. The address is looked up on every dial.
     */
    @Override
    public PodDialer portForward(String namespace, String pod) {
        ObjectNode p = pods.get(namespace, pod).orElseThrow(() -> StatusException.notFound("", "pods", pod));
        String description = pod + ", uid " + Json.text(p, "metadata", "uid");
        return new PodDialer() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public PodConnection dial(int port) throws IOException {
                ObjectNode current = pods.get(namespace, pod).orElseThrow(() -> new IOException("pod not found (\"" + pod + "\")"));
                String ip = current.path("status").path("podIP").asText("");
                InetAddress address = current.path("spec").path("hostNetwork").asBoolean(false)
                        ? InetAddress.getLoopbackAddress() : ip.isEmpty() ? null : InetAddress.getByName(ip);
                if (address == null || !current.path("status").path("phase").asText("").equals("Running")) {
                    throw new IOException("pod is not running (phase " + current.path("status").path("phase").asText("Pending") + ")");
                }
                try {
                    return PodConnection.of(PodPortDial.connect(new InetSocketAddress(address, port)));
                } catch (IOException refused) {
                    String uid = Json.text(current, "metadata", "uid");
                    Optional<Path> netns = runtime.sandboxes().stream().filter(s -> RuntimeLabels.podUid(s).equals(uid))
                            .map(SandboxInfo::netns).filter(java.util.Objects::nonNull).findFirst();
                    if (netns.isEmpty() || !(refused.getCause() instanceof java.net.ConnectException)
                            || current.path("spec").path("hostNetwork").asBoolean(false)) {
                        throw refused;
                    }
                    return NetnsConnection.open(netns.get(), port, refused.getMessage());
                }
            }
        };
    }

    /** The container's attempts, latest first; 404 for a pod not on this node, 400 for a container the pod does not have. */
    private List<ContainerStatus> attempts(String namespace, String pod, String container) {
        ObjectNode p = pods.get(namespace, pod).orElseThrow(() -> StatusException.notFound("", "pods", pod));
        List<String> names = new ArrayList<>();
        for (String field : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            p.path("spec").path(field).forEach(c -> names.add(c.path("name").asText()));
        }
        if (!names.contains(container)) {
            throw StatusException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is not valid");
        }
        String uid = Json.text(p, "metadata", "uid");
        return runtime.containers().stream().filter(c -> RuntimeLabels.podUid(c).equals(uid) && RuntimeLabels.name(c).equals(container))
                .sorted(Comparator.comparingInt(RuntimeLabels::attempt).reversed()).toList();
    }

    private String waitingReason(String namespace, String pod, String container) {
        JsonNode p = pods.get(namespace, pod).orElseThrow();
        for (String field : new String[] {"initContainerStatuses", "containerStatuses"}) {
            for (JsonNode s : p.path("status").path(field)) {
                if (s.path("name").asText().equals(container)) {
                    return s.path("state").path("waiting").path("reason").asText("ContainerCreating");
                }
            }
        }
        return "ContainerCreating";
    }
}
