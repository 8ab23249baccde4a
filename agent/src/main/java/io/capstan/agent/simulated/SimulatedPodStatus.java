package io.capstan.agent.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** The pod statuses a kubelet would report, built for pods that run nowhere. */
final class SimulatedPodStatus {

    private SimulatedPodStatus() {}

    /** Running since startedAt, every container started; Ready or not (a failing readiness probe). */
    static ObjectNode running(JsonNode pod, String hostIp, String podIp, String startedAt, String now, boolean ready) {
        ObjectNode status = base(pod, "Running", hostIp, podIp);
        status.put("startTime", startedAt);
        status.set("conditions", conditions(now, ready, ready ? null : "ContainersNotReady"));
        ArrayNode statuses = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode s = containerStatus(pod, c, true).put("ready", ready);
            s.putObject("state").putObject("running").put("startedAt", startedAt);
            statuses.add(s);
        }
        initContainers(pod, status, now);
        return status;
    }

    /** Succeeded (exit code 0) or Failed, every container terminated with that exit code. */
    static ObjectNode finished(JsonNode pod, String hostIp, String podIp, int exitCode, String startedAt, String now) {
        ObjectNode status = base(pod, exitCode == 0 ? "Succeeded" : "Failed", hostIp, podIp);
        status.put("startTime", startedAt);
        status.set("conditions", conditions(now, false, "PodCompleted"));
        ArrayNode statuses = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode s = containerStatus(pod, c, false);
            s.putObject("state").putObject("terminated").put("exitCode", exitCode).put("reason", exitCode == 0 ? "Completed" : "Error")
                    .put("startedAt", startedAt).put("finishedAt", now)
                    .put("containerID", s.path("containerID").asText());
            statuses.add(s);
        }
        initContainers(pod, status, startedAt);
        return status;
    }

    private static ObjectNode base(JsonNode pod, String phase, String hostIp, String podIp) {
        ObjectNode status = Json.object().put("phase", phase).put("hostIP", hostIp).put("podIP", podIp)
                .put("qosClass", pod.path("status").path("qosClass").asText("BestEffort"));
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        status.putArray("podIPs").addObject().put("ip", podIp);
        return status;
    }

    private static ArrayNode conditions(String now, boolean ready, String reason) {
        ArrayNode conditions = Json.array();
        for (String type : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
            boolean value = ready || type.equals("Initialized") || type.equals("PodScheduled")
                    || type.equals("PodReadyToStartContainers") && "ContainersNotReady".equals(reason);
            ObjectNode c = conditions.addObject().put("type", type).put("status", value ? "True" : "False").putNull("lastProbeTime")
                    .put("lastTransitionTime", now);
            if (!value && reason != null) {
                c.put("reason", reason);
            }
        }
        return conditions;
    }

    private static ObjectNode containerStatus(JsonNode pod, JsonNode container, boolean running) {
        String name = container.path("name").asText();
        return Json.object().put("name", name).put("image", container.path("image").asText())
                .put("imageID", "simulated://" + container.path("image").asText())
                .put("containerID", "simulated://" + pod.path("metadata").path("uid").asText() + "/" + name)
                .put("ready", running).put("started", running).put("restartCount", 0);
    }

    private static void initContainers(JsonNode pod, ObjectNode status, String startedAt) {
        if (!pod.path("spec").path("initContainers").isArray()) {
            return;
        }
        ArrayNode statuses = status.putArray("initContainerStatuses");
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            ObjectNode s = containerStatus(pod, c, false);
            s.putObject("state").putObject("terminated").put("exitCode", 0).put("reason", "Completed")
                    .put("startedAt", startedAt).put("finishedAt", startedAt);
            statuses.add(s);
        }
    }
}
