package io.capstan.agent.env;

import java.util.List;

/** The pod's and its node's addresses, primary first (the kubelet orders pod IPs by the node's IP family). */
public record PodAddresses(List<String> podIPs, List<String> hostIPs) {

    public PodAddresses {
        podIPs = List.copyOf(podIPs);
        hostIPs = List.copyOf(hostIPs);
    }
}
