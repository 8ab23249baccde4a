package io.capstan.agent.simulated;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The Node object a simulated node registers: capacity, Ready conditions, addresses and node info as a kubelet reports them. */
final class SimulatedNodeObject {

    private SimulatedNodeObject() {}

    static ObjectNode node(String name, int index, SimulatedNodeConfig config, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode node = Json.object().put("apiVersion", "v1").put("kind", "Node");
        ObjectNode labels = node.putObject("metadata").put("name", name).putObject("labels");
        labels.put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux").put("kubernetes.io/arch", "amd64")
                .put("beta.kubernetes.io/os", "linux").put("beta.kubernetes.io/arch", "amd64").put("type", "simulated");
        node.putObject("spec"); // spec.podCIDR comes from the server's node IPAM controller, as for a kubelet
        ObjectNode status = node.putObject("status");
        for (String field : new String[] {"capacity", "allocatable"}) {
            status.putObject(field).put("cpu", config.cpu()).put("memory", config.memory()).put("pods", config.pods())
                    .put("ephemeral-storage", "100Gi");
        }
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", time);
        condition(conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", time);
        condition(conditions, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", time);
        condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status", time);
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", SimulatedNodes.hostIp(index));
        addresses.addObject().put("type", "Hostname").put("address", name);
        status.putObject("nodeInfo").put("machineID", "").put("systemUUID", "").put("bootID", "")
                .put("kernelVersion", "simulated").put("osImage", "Capstan simulated node").put("containerRuntimeVersion", "simulated://1.0")
                .put("kubeletVersion", "v1.32.0-capstan").put("kubeProxyVersion", "").put("operatingSystem", "linux")
                .put("architecture", "amd64");
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        return node;
    }

    private static void condition(ArrayNode conditions, String type, String status, String reason, String message, String time) {
        conditions.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", time).put("lastTransitionTime", time)
                .put("reason", reason).put("message", message);
    }
}
