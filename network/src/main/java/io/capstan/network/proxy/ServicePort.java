package io.capstan.network.proxy;

import java.util.List;

/**
 * What the proxy needs of one Service port: where it listens (cluster IPs, node port, load-balancer and external
 * IPs) and how it picks endpoints (session affinity, traffic policies).
 *
 * @param affinitySeconds 0 without sessionAffinity ClientIP, else its timeout
 * @param externalLocal externalTrafficPolicy Local: node ports and load-balancer IPs use only this node's endpoints
 * @param internalLocal internalTrafficPolicy Local: the cluster IP uses only this node's endpoints
 * @param loadBalancer type LoadBalancer: the node's own addresses answer at {@code port}, as k3s's ServiceLB
 */
public record ServicePort(ServicePortName name, List<String> clusterIPs, int port, int nodePort, List<String> externalIPs,
                          boolean loadBalancer, int affinitySeconds, boolean externalLocal, boolean internalLocal) {

    public ServicePort {
        clusterIPs = List.copyOf(clusterIPs);
        externalIPs = List.copyOf(externalIPs);
    }

    String protocol() {
        return name.protocol();
    }

    /** Whether traffic from outside the cluster reaches it (node port, load balancer, external IPs). */
    boolean external() {
        return nodePort > 0 || loadBalancer || !externalIPs.isEmpty();
    }
}
