package io.capstan.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The node agent's flags, shared by `capstan server` (its in-process agent) and `capstan agent`. */
final class AgentOptions {

    @Option(names = "--node-name", description = "The Node's name (default: this machine's host name).")
    String nodeName;

    @Option(names = "--agent-port", defaultValue = "10250", description = "Port of the agent's log and exec server, as the kubelet's (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--pod-cidr", description = "This node's pod subnet, overriding the one the server gives its Node (spec.podCIDR).")
    String podCidr;

    @Option(names = "--cluster-cidr", defaultValue = "10.42.0.0/16", description = "The pod network of the whole cluster, "
            + "from which each node gets a /24 (the same on server and agents; default: ${DEFAULT-VALUE}).")
    String clusterCidr;

    @Option(names = "--node-ip", description = "The address this node advertises as its InternalIP (default: that of the default route's interface).")
    String nodeIp;

    @Option(names = "--cni-bridge", defaultValue = "cni0", description = "The host bridge pods attach to (default: ${DEFAULT-VALUE}).")
    String cniBridge;

    @Option(names = "--insecure-registry", description = "A registry (host or host:port) reached over plain HTTP or unverified TLS (repeatable); loopback registries always are.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--cgroup-root", defaultValue = "capstan", description = "The cgroup under which pods run (default: ${DEFAULT-VALUE}).")
    String cgroupRoot;

    @Option(names = "--disable-kube-proxy", description = "Run no service proxy on this node, as k3s's flag.")
    boolean disableProxy;

    /** Tests running several agents on one host give each its own iptables chains (CAPSTAN-SERVICES-TAG, ...). */
    @Option(names = "--proxy-chain-tag", hidden = true, defaultValue = "")
    String proxyChainTag;

    @Option(names = "--cluster-dns", defaultValue = "10.43.0.10", description = "The cluster DNS service's IP, pods' nameserver under dnsPolicy ClusterFirst (default: ${DEFAULT-VALUE}).")
    String clusterDns;

    @Option(names = "--cluster-domain", defaultValue = "cluster.local", description = "The cluster's DNS domain (default: ${DEFAULT-VALUE}).")
    String clusterDomain;

    @Option(names = "--ingress-http-port", defaultValue = "80", description = "Port of the node's built-in Ingress for HTTP (default: ${DEFAULT-VALUE}).")
    int ingressHttpPort;

    @Option(names = "--ingress-https-port", defaultValue = "443", description = "Port of the node's built-in Ingress for HTTPS (default: ${DEFAULT-VALUE}).")
    int ingressHttpsPort;

    @Option(names = "--disable-ingress", description = "Run no built-in Ingress on this node (to use another ingress controller).")
    boolean disableIngress;

    String nodeName() {
        return nodeName != null ? nodeName
                : io.capstan.agent.node.MachineInfo.read(java.nio.file.Path.of("/")).hostname();
    }
}
