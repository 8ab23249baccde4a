package io.capstan.network.proxy;

import java.time.Duration;
import java.util.List;

/**
 * How one node's proxy is set up.
 *
 * @param nodeName the Node whose endpoints count as local (externalTrafficPolicy Local)
 * @param nodeIPs the node's addresses: where LoadBalancer Services answer at their port (k3s ServiceLB style)
 * @param podCidr pod addresses; traffic to a cluster IP from anywhere else is masqueraded
 * @param chainTag "" for the standard chain names; else a suffix (up to 8 of [a-z0-9]) so that several agents on one
 *                 host (tests) keep apart
 * @param localhostNodePorts whether 127.0.0.1:NODEPORT is forwarded too (needs net.ipv4.conf.all.route_localnet=1)
 * @param minSyncPeriod changes arriving within this time of the last sync are coalesced into the next one
 */
public record ProxyConfig(String nodeName, List<String> nodeIPs, String podCidr, String chainTag, boolean localhostNodePorts,
                          Duration minSyncPeriod) {

    public ProxyConfig {
        nodeIPs = List.copyOf(nodeIPs);
        if (!chainTag.matches("[a-z0-9]{0,8}")) {
            throw new IllegalArgumentException("chain tag must be up to 8 of [a-z0-9]: " + chainTag);
        }
    }
}
