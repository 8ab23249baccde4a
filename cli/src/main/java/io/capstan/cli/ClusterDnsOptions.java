package io.capstan.cli;

import io.capstan.client.ApiClient;
import io.capstan.network.dns.ClusterDns;
import java.net.InetAddress;
import picocli.CommandLine.Option;

/**
 * `capstan server`'s flags for the cluster DNS it runs (k3s runs CoreDNS as a pod instead), and its start: it listens
 * on the node's address, port 53 (a free port when 53 is taken), and Service kube-dns (--cluster-dns) points there.
 */
final class ClusterDnsOptions {

    @Option(names = "--cluster-dns-address", description = "Address the cluster DNS server listens on (default: this node's address).")
    String address;

    @Option(names = "--cluster-dns-port", defaultValue = "53",
            description = "Port of the cluster DNS server, UDP and TCP; when it is 53 and taken, a free port is used (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--disable-cluster-dns", description = "Run no cluster DNS server, as k3s's --disable coredns.")
    boolean disabled;

    /** The running DNS server, or null when disabled. */
    ClusterDns start(ApiClient api, AgentOptions agent, String nodeAddress) throws java.io.IOException {
        if (disabled) {
            return null;
        }
        InetAddress listen = InetAddress.ofLiteral(address != null ? address : nodeAddress);
        // On the wildcard address the endpoints still need one address the service proxy can send to.
        InetAddress advertise = listen.isAnyLocalAddress() ? InetAddress.ofLiteral(nodeAddress) : listen;
        return ClusterDns.start(api, new ClusterDns.Config(agent.clusterDomain, agent.clusterDns, listen, port, advertise,
                agent.nodeName()));
    }
}
