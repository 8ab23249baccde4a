package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.network.cni.CniNetwork;
import io.capstan.runtime.SandboxInfo;
import java.util.ArrayList;
import java.util.List;

/** The pod network through the CNI plugins: a sandbox's netns is attached, with the hostPorts its containers ask for. */
public final class CniPodNetwork implements PodNetwork {

    private final CniNetwork network;

    public CniPodNetwork(CniNetwork network) {
        this.network = network;
    }

    @Override
    public String setUp(SandboxInfo sandbox, JsonNode pod) {
        return network.add(sandbox.id(), sandbox.netns().toString(), pod.path("metadata").path("namespace").asText(),
                pod.path("metadata").path("name").asText(), hostPorts(pod));
    }

    @Override
    public void tearDown(SandboxInfo sandbox, JsonNode pod) {
        if (sandbox.netns() != null) {
            network.delete(sandbox.id(), sandbox.netns().toString(), pod.path("metadata").path("namespace").asText(),
                    pod.path("metadata").path("name").asText(), hostPorts(pod));
        }
    }

    static List<CniNetwork.PortMapping> hostPorts(JsonNode pod) {
        List<CniNetwork.PortMapping> ports = new ArrayList<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (p.path("hostPort").asInt() > 0) {
                    ports.add(new CniNetwork.PortMapping(p.path("hostPort").asInt(), p.path("containerPort").asInt(),
                            p.path("protocol").asText("TCP"), p.path("hostIP").asText("")));
                }
            }
        }
        return ports;
    }
}
