package io.capstan.network.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** kube-proxy's default minSyncPeriod is 1 s; shorter here, so a new Service answers sooner. */
    public static final Duration DEFAULT_MIN_SYNC_PERIOD = Duration.ofMillis(300);

    public ProxyConfig {
        nodeIPs = List.copyOf(nodeIPs);
        if (!chainTag.matches("[a-z0-9]{0,8}")) {
            throw new IllegalArgumentException("chain tag must be up to 8 of [a-z0-9]: " + chainTag);
        }
    }

    /**
     * Whether net.ipv4.conf.all.route_localnet is 1, which NodePorts on 127.0.0.1 need (the kernel will not route a
     * loopback source to a pod otherwise). Capstan reads it and never sets it: it is a host-wide setting.
     */
    public static boolean routeLocalnet() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/conf/all/route_localnet")).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }
}
