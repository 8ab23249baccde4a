package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A pod's status from what the runtime reports and what the agent remembers, with the kubelet's phase
 * rules (pkg/kubelet/kubelet_pods.go getPhase), conditions and container states.
 */
final class PodStatusBuilder {

    /** What goes into a status besides the pod itself. */
    record Observed(List<ContainerStatus> containers, PodState state, boolean sandboxReady, String hostIp, Instant now) {}

    private PodStatusBuilder() {}

    static ObjectNode build(JsonNode pod, Observed seen) {
        JsonNode spec = pod.path("spec");
        JsonNode old = pod.path("status");
        String now = seen.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = Json.object();
        ArrayNode initStatuses = Json.array();
        boolean initialized = true;
        List<String> incompleteInit = new ArrayList<>();
        for (JsonNode c : spec.path("initContainers")) {
            ObjectNode s = containerStatus(pod, c, seen, true, false);
            initStatuses.add(s);
            boolean sidecar = "Always".equals(c.path("restartPolicy").asText());
            boolean done = sidecar ? s.path("started").asBoolean() : s.path("state").has("terminated")
                    && s.path("state").path("terminated").path("exitCode").asInt() == 0;
            if (!done) {
                initialized = false;
                incompleteInit.add(c.path("name").asText());
            }
        }
        ArrayNode statuses = Json.array();
        List<String> unready = new ArrayList<>();
        for (JsonNode c : spec.path("containers")) {
            ObjectNode s = containerStatus(pod, c, seen, false, initialized);
            statuses.add(s);
            if (!s.path("ready").asBoolean()) {
                unready.add(c.path("name").asText());
            }
        }
        String phase = phase(spec, statuses, initStatuses, initialized);
        status.put("phase", phase);
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, old, now, "PodReadyToStartContainers", seen.sandboxReady() && !terminal, null, null);
        condition(conditions, old, now, "Initialized", initialized, initialized ? null : "ContainersNotInitialized",
                initialized ? null : "containers with incomplete status: " + list(incompleteInit));
        boolean containersReady = unready.isEmpty() && !terminal;
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = terminal ? null : "containers with unready status: " + list(unready);
        condition(conditions, old, now, "Ready", containersReady, containersReady ? null : notReadyReason,
                containersReady ? null : notReadyMessage);
        condition(conditions, old, now, "ContainersReady", containersReady, containersReady ? null : notReadyReason,
                containersReady ? null : notReadyMessage);
        for (JsonNode c : old.path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled")) {
                conditions.add(c.deepCopy());
            }
        }
        status.put("hostIP", seen.hostIp());
        status.putArray("hostIPs").addObject().put("ip", seen.hostIp());
        String podIp = spec.path("hostNetwork").asBoolean() ? seen.hostIp() : seen.state().podIp;
        if (podIp != null) {
            status.put("podIP", podIp);
            status.putArray("podIPs").addObject().put("ip", podIp);
        }
        status.put("startTime", old.path("startTime").asText(now));
        if (old.hasNonNull("qosClass")) {
            status.put("qosClass", old.path("qosClass").asText());
        }
        if (!initStatuses.isEmpty()) {
            status.set("initContainerStatuses", initStatuses);
        }
        status.set("containerStatuses", statuses);
        return status;
    }

    /** getPhase: waiting containers that never ran keep a pod Pending; the restart policy decides once all have stopped. */
    static String phase(JsonNode spec, ArrayNode statuses, ArrayNode initStatuses, boolean initialized) {
        String policy = spec.path("restartPolicy").asText("Always");
        for (JsonNode s : initStatuses) {
            JsonNode t = s.path("state").path("terminated");
            if (!t.isMissingNode() && t.path("exitCode").asInt() != 0 && policy.equals("Never")) {
                return "Failed";
            }
        }
        if (!initialized) {
            return "Pending";
        }
        int waiting = 0, running = 0, stopped = 0, succeeded = 0;
        for (JsonNode s : statuses) {
            JsonNode state = s.path("state");
            if (state.has("running")) {
                running++;
            } else if (state.has("terminated")) {
                stopped++;
                if (state.path("terminated").path("exitCode").asInt() == 0) {
                    succeeded++;
                }
            } else if (s.path("lastState").has("terminated")) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            return policy.equals("Never") ? "Failed" : "Running";
        }
        return "Pending";
    }

    /** @param initialized false while init containers run: the app containers then wait in PodInitializing */
    private static ObjectNode containerStatus(JsonNode pod, JsonNode c, Observed seen, boolean init, boolean initialized) {
        String name = c.path("name").asText();
        List<ContainerStatus> attempts = seen.containers().stream().filter(s -> RuntimeLabels.name(s).equals(name))
                .filter(s -> Boolean.parseBoolean(s.labels().getOrDefault(RuntimeLabels.INIT, "false")) == init)
                .sorted(Comparator.comparingInt(RuntimeLabels::attempt).reversed()).toList();
        Optional<ContainerStatus> latest = attempts.stream().findFirst();
        ObjectNode s = Json.object().put("name", name).put("image", c.path("image").asText());
        s.put("imageID", seen.state().imageIds.getOrDefault(name, ""));
        latest.ifPresent(l -> s.put("containerID", "runc://" + l.id()));
        int restarts = latest.map(RuntimeLabels::attempt).orElse(0);
        PodState.Waiting waiting = seen.state().waiting.get(name);
        ObjectNode state = s.putObject("state");
        boolean running = false;
        if (latest.isPresent() && latest.get().state() == ContainerState.RUNNING) {
            running = true;
            state.putObject("running").put("startedAt", time(latest.get().startedAt()));
        } else if (waiting != null || latest.isEmpty() || latest.get().state() == ContainerState.CREATED) {
            ObjectNode w = state.putObject("waiting").put("reason", waiting != null ? waiting.reason()
                    : init || !initialized ? "PodInitializing" : "ContainerCreating");
            if (waiting != null && waiting.message() != null) {
                w.put("message", waiting.message());
            }
        } else {
            terminated(state.putObject("terminated"), latest.get());
        }
        ObjectNode last = s.putObject("lastState");
        Optional<ContainerStatus> previous = running || waiting == null || latest.isEmpty() || latest.get().state() != ContainerState.EXITED
                ? attempts.stream().skip(1).findFirst() : latest;
        previous.filter(p -> p.state() == ContainerState.EXITED).ifPresent(p -> terminated(last.putObject("terminated"), p));
        boolean readyByProbe = seen.state().ready.getOrDefault(name, !c.has("readinessProbe"));
        s.put("ready", running && readyByProbe && !init);
        s.put("restartCount", restarts);
        s.put("started", running);
        return s;
    }

    private static void terminated(ObjectNode t, ContainerStatus c) {
        t.put("exitCode", c.exitCode()).put("reason", ContainerStates.terminatedReason(c)).put("startedAt", time(c.startedAt()))
                .put("finishedAt", time(c.finishedAt())).put("containerID", "runc://" + c.id());
    }

    private static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void condition(ArrayNode conditions, JsonNode old, String now, String type, boolean value, String reason,
                                  String message) {
        String status = value ? "True" : "False";
        String transition = now;
        for (JsonNode c : old.path("conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals(status)) {
                transition = c.path("lastTransitionTime").asText(now);
            }
        }
        ObjectNode c = conditions.addObject().put("type", type).put("status", status).putNull("lastProbeTime")
                .put("lastTransitionTime", transition);
        if (reason != null) {
            c.put("reason", reason);
        }
        if (message != null) {
            c.put("message", message);
        }
    }

    private static String list(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
