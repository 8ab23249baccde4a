package io.capstan.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The Node a real agent registers and the status it reports, as a kubelet words them. */
final class NodeObject {

    /** The version this agent reports as kubeletVersion: the Kubernetes API level Capstan follows. */
    static final String KUBELET_VERSION = "v1.32.0-capstan";

    private NodeObject() {}

    /** A Node to create: labels, the pod subnet if the agent was given one, and the status as it is now. */
    static ObjectNode node(String name, MachineInfo machine, ObjectNode status, String podCidr) {
        ObjectNode node = Json.object().put("apiVersion", "v1").put("kind", "Node");
        ObjectNode labels = node.putObject("metadata").put("name", name).putObject("labels");
        labels.put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux").put("kubernetes.io/arch", "amd64")
                .put("beta.kubernetes.io/os", "linux").put("beta.kubernetes.io/arch", "amd64");
        ObjectNode spec = node.putObject("spec");
        if (podCidr != null) {
            spec.put("podCIDR", podCidr).putArray("podCIDRs").add(podCidr);
        }
        node.set("status", status);
        return node;
    }

    /**
     * The status as it is now; a condition keeps its lastTransitionTime from {@code previous} while its status stays.
     *
     * @param images the images on the node as (names, size) pairs for status.images
     */
    static ObjectNode status(String name, MachineInfo machine, NodeHealth health, String runtimeVersion, int port,
                             List<ImageEntry> images, JsonNode previous, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = Json.object();
        long memory = machine.memoryBytes();
        status.putObject("capacity").put("cpu", Integer.toString(machine.cpus())).put("memory", (memory / 1024) + "Ki")
                .put("pods", "110").put("ephemeral-storage", (machine.diskBytes() / 1024) + "Ki");
        // The kubelet's default hard eviction threshold (100Mi) is held back from allocatable memory.
        status.putObject("allocatable").put("cpu", Integer.toString(machine.cpus()))
                .put("memory", Math.max(0, (memory - NodeHealth.MEMORY_THRESHOLD) / 1024) + "Ki").put("pods", "110")
                .put("ephemeral-storage", (machine.diskBytes() / 10 * 9 / 1024) + "Ki");
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, previous, time, "MemoryPressure", health.memoryPressure(),
                health.memoryPressure() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                health.memoryPressure() ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available");
        condition(conditions, previous, time, "DiskPressure", health.diskPressure(),
                health.diskPressure() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
                health.diskPressure() ? "kubelet has disk pressure" : "kubelet has no disk pressure");
        condition(conditions, previous, time, "PIDPressure", health.pidPressure(),
                health.pidPressure() ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
                health.pidPressure() ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available");
        boolean ready = health.notReadyReason().isEmpty();
        condition(conditions, previous, time, "Ready", ready, ready ? "KubeletReady" : "KubeletNotReady",
                ready ? "kubelet is posting ready status" : "container runtime is down: " + health.notReadyReason().get());
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", machine.internalIp());
        addresses.addObject().put("type", "Hostname").put("address", name);
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", port);
        status.putObject("nodeInfo").put("machineID", machine.machineId()).put("systemUUID", machine.machineId())
                .put("bootID", machine.bootId()).put("kernelVersion", machine.kernelVersion()).put("osImage", machine.osImage())
                .put("containerRuntimeVersion", runtimeVersion).put("kubeletVersion", KUBELET_VERSION).put("kubeProxyVersion", "")
                .put("operatingSystem", "linux").put("architecture", "amd64");
        ArrayNode imageList = status.putArray("images");
        for (ImageEntry image : images) {
            ObjectNode entry = imageList.addObject();
            image.names().forEach(entry.putArray("names")::add);
            entry.put("sizeBytes", image.sizeBytes());
        }
        return status;
    }

    /** status.conditions of a Node: True means trouble for the pressures, health for Ready. */
    private static void condition(ArrayNode conditions, JsonNode previous, String time, String type, boolean value, String reason,
                                  String message) {
        String status = value ? "True" : "False";
        String transition = time;
        for (JsonNode old : previous.path("conditions")) {
            if (old.path("type").asText().equals(type) && old.path("status").asText().equals(status)
                    && old.hasNonNull("lastTransitionTime")) {
                transition = old.path("lastTransitionTime").asText();
            }
        }
        conditions.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", time)
                .put("lastTransitionTime", transition).put("reason", reason).put("message", message);
    }

    /** One entry of status.images. */
    record ImageEntry(List<String> names, long sizeBytes) {}
}
