package io.capstan.api.table;

import static io.capstan.api.table.Cells.NONE;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods as kubectl shows them: READY counts, the aggregate STATUS kubectl users know, RESTARTS with the last restart's age. */
final class PodTable implements TableConvertor {

    static final PodTable INSTANCE = new PodTable();

    private static final List<TableColumn> COLUMNS = Columns.name()
            .string("Ready", "The aggregate readiness state of this pod for accepting traffic.")
            .string("Status", "The aggregate status of the containers in this pod.")
            .string("Restarts", "The number of times the containers in this pod have been restarted and when the last container "
                    + "in this pod has restarted.")
            .age()
            .wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.")
            .wide("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling "
                    + "by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible "
                    + "for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on "
                    + "a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename")
            .wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be "
                    + "scheduled right away as preemption victims receive their graceful termination periods. This field does not "
                    + "guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other "
                    + "nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher "
                    + "priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName "
                    + "when the pod is scheduled.")
            .wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all "
                    + "its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" "
                    + "More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates")
            .build();

    private PodTable() {}

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<TableRowCondition> conditions(ObjectNode pod) {
        return switch (text(pod, "status", "phase")) {
            case "Succeeded" -> List.of(new TableRowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
            case "Failed" -> List.of(new TableRowCondition("Completed", "True", "Failed", "The pod failed."));
            default -> List.of();
        };
    }

    @Override
    public List<Object> cells(ObjectNode pod, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        int restarts = 0;
        int sidecarRestarts = 0;
        int total = spec.path("containers").size();
        int ready = 0;
        Instant lastRestart = null;
        Instant lastSidecarRestart = null;

        String phase = text(status, "phase");
        String reason = text(status, "reason").isEmpty() ? phase : text(status, "reason");
        for (JsonNode c : status.path("conditions")) {
            if ("PodScheduled".equals(text(c, "type")) && "SchedulingGated".equals(text(c, "reason"))) {
                reason = "SchedulingGated";
            }
        }

        Map<String, JsonNode> initContainers = new HashMap<>();
        for (JsonNode c : spec.path("initContainers")) {
            initContainers.put(text(c, "name"), c);
            if (restartable(c)) {
                total++;
            }
        }

        boolean initializing = false;
        JsonNode initStatuses = status.path("initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode cs = initStatuses.get(i);
            int count = cs.path("restartCount").asInt(0);
            restarts += count;
            Instant finished = lastTerminated(cs);
            lastRestart = later(lastRestart, finished);
            boolean sidecar = restartable(initContainers.get(text(cs, "name")));
            if (sidecar) {
                sidecarRestarts += count;
                lastSidecarRestart = later(lastSidecarRestart, finished);
            }
            JsonNode terminated = cs.path("state").path("terminated");
            JsonNode waiting = cs.path("state").path("waiting");
            if (terminated.isObject() && terminated.path("exitCode").asInt(0) == 0) {
                continue;
            } else if (sidecar && cs.path("started").asBoolean(false)) {
                if (cs.path("ready").asBoolean(false)) {
                    ready++;
                }
                continue;
            } else if (terminated.isObject()) {
                if (text(terminated, "reason").isEmpty()) {
                    reason = terminated.path("signal").asInt(0) != 0
                            ? "Init:Signal:" + terminated.path("signal").asInt()
                            : "Init:ExitCode:" + terminated.path("exitCode").asInt();
                } else {
                    reason = "Init:" + text(terminated, "reason");
                }
            } else if (waiting.isObject() && !text(waiting, "reason").isEmpty()
                    && !"PodInitializing".equals(text(waiting, "reason"))) {
                reason = "Init:" + text(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + spec.path("initContainers").size();
            }
            initializing = true;
            break;
        }

        if (!initializing || Cells.conditionTrue(status.path("conditions"), "Initialized")) {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            JsonNode statuses = status.path("containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode cs = statuses.get(i);
                restarts += cs.path("restartCount").asInt(0);
                lastRestart = later(lastRestart, lastTerminated(cs));
                JsonNode waiting = cs.path("state").path("waiting");
                JsonNode terminated = cs.path("state").path("terminated");
                if (waiting.isObject() && !text(waiting, "reason").isEmpty()) {
                    reason = text(waiting, "reason");
                } else if (terminated.isObject() && !text(terminated, "reason").isEmpty()) {
                    reason = text(terminated, "reason");
                } else if (terminated.isObject()) {
                    reason = terminated.path("signal").asInt(0) != 0
                            ? "Signal:" + terminated.path("signal").asInt()
                            : "ExitCode:" + terminated.path("exitCode").asInt();
                } else if (cs.path("ready").asBoolean(false) && cs.path("state").path("running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            // Back to Running when a container still runs after another completed.
            if ("Completed".equals(reason) && hasRunning) {
                reason = Cells.conditionTrue(status.path("conditions"), "Ready") ? "Running" : "NotReady";
            }
        }

        if (Cells.deleting(pod) && "NodeLost".equals(text(status, "reason"))) {
            reason = "Unknown";
        } else if (Cells.deleting(pod) && !"Failed".equals(phase) && !"Succeeded".equals(phase)) {
            reason = "Terminating";
        }

        String restartText = Integer.toString(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartText = restarts + " (" + HumanDuration.format(java.time.Duration.between(lastRestart, now)) + " ago)";
        }

        List<Object> cells = new ArrayList<>(List.of(Cells.name(pod), ready + "/" + total, reason, restartText,
                TableConvertor.age(pod, now)));
        String ip = text(status.path("podIPs").path(0), "ip");
        cells.add(ip.isEmpty() ? NONE : ip);
        cells.add(orNone(text(spec, "nodeName")));
        cells.add(orNone(text(status, "nominatedNodeName")));
        cells.add(readinessGates(spec, status));
        return cells;
    }

    private static String readinessGates(JsonNode spec, JsonNode status) {
        JsonNode gates = spec.path("readinessGates");
        if (gates.isEmpty()) {
            return NONE;
        }
        int trueConditions = 0;
        for (JsonNode gate : gates) {
            for (JsonNode c : status.path("conditions")) {
                if (text(gate, "conditionType").equals(text(c, "type"))) {
                    if ("True".equals(text(c, "status"))) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }

    /** A sidecar: an init container with restartPolicy Always. */
    private static boolean restartable(JsonNode initContainer) {
        return initContainer != null && "Always".equals(text(initContainer, "restartPolicy"));
    }

    private static Instant lastTerminated(JsonNode containerStatus) {
        JsonNode terminated = containerStatus.path("lastState").path("terminated");
        return terminated.isObject() ? Cells.instant(text(terminated, "finishedAt")) : null;
    }

    private static Instant later(Instant a, Instant b) {
        return b != null && (a == null || a.isBefore(b)) ? b : a;
    }

    private static String orNone(String s) {
        return s.isEmpty() ? NONE : s;
    }
}
