package io.capstan.cli;

import io.capstan.agent.node.MachineInfo;
import io.capstan.agent.node.NodePodCidr;
import io.capstan.agent.pods.DeferredPodNetwork;
import io.capstan.agent.node.NodeAgent;
import io.capstan.agent.pods.PodDirectories;
import io.capstan.agent.pods.MeteredRuntime;
import io.capstan.agent.pods.PodWorkers;
import io.capstan.agent.pods.CniPodNetwork;
import io.capstan.agent.pods.PodNetwork;
import io.capstan.agent.server.AgentServer;
import io.capstan.agent.stats.AgentMetrics;
import io.capstan.agent.stats.HostUsage;
import io.capstan.agent.stats.NodeStats;
import io.capstan.agent.stats.PodStats;
import io.capstan.client.ApiClient;
import io.capstan.network.cni.CniNetwork;
import io.capstan.network.cni.CniNetworkConfig;
import io.capstan.network.cni.CniPlugins;
import io.capstan.network.proxy.ProxyConfig;
import io.capstan.network.proxy.ServiceProxy;
import io.capstan.network.ingress.NodeIngress;
import io.capstan.network.iptables.Iptables;
import io.capstan.network.policy.NetworkPolicyAgent;
import io.capstan.network.routes.PodNetworkRouting;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.RuntimeHandlers;
import io.capstan.runtime.process.ProcessRuntime;
import io.capstan.runtime.image.LocalImageStore;
import io.capstan.runtime.oci.RuncOptions;
import io.capstan.runtime.oci.RuncRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a node agent together, in order: runtime and image store under DATA/agent, the CNI pod network,
 * the streaming server with stats and metrics (its port becomes the Node's kubelet endpoint), then the agent itself
 * and the node's service proxy.
 */
final class NodeAgentLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgentLauncher.class);

    private final ContainerRuntime runtime;
    private final AgentServer server;
    private final NodeStats stats;
    private final NodeAgent agent;
    private final String internalIp;
    private ServiceProxy proxy;
    private NodeIngress ingress;
    private final NetworkPolicyAgent policies;
    private final java.util.Optional<CniPlugins> plugins;
    private final DeferredPodNetwork podNetwork = new DeferredPodNetwork(java.time.Duration.ofSeconds(30));
    private Thread networkStart;
    private volatile PodNetworkRouting routing;

    /**
     * @param keyStore the agent's serving certificate, issued by the cluster CA
     * @param trustStore the cluster CA, which the API server's client certificate must chain to
     */
    private NodeAgentLauncher(ApiClient api, Path dataDir, AgentOptions options, KeyStore keyStore, char[] password, KeyStore trustStore)
            throws Exception {
        Path agentDir = dataDir.resolve("agent");
        Files.createDirectories(agentDir);
        AgentMetrics metrics = new AgentMetrics();
        // runc for images; "process" (RuntimeClass process) runs commands on the host under the same limits.
        runtime = new MeteredRuntime(new RuntimeHandlers("runc", java.util.Map.of(
                "runc", new RuncRuntime(RuncOptions.defaults(agentDir.resolve("runtime")).withCgroupRoot(options.cgroupRoot)),
                "process", new ProcessRuntime(RuncOptions.defaults(agentDir.resolve("process")).withCgroupRoot(options.cgroupRoot)))),
                metrics);
        LocalImageStore images = new LocalImageStore(new LocalImageStore.Options(agentDir.resolve("images"), options.insecureRegistries, java.util.List.of()));
        plugins = CniPlugins.find();
        if (plugins.isEmpty()) {
            LOG.warn("no CNI plugins found (install containernetworking-plugins): pods get only a loopback interface");
        }
        // The subnet comes from the server once the Node is registered (or from --pod-cidr); until then sandboxes wait.
        PodNetwork network = plugins.isPresent() ? podNetwork : PodNetwork.LOOPBACK_ONLY;
        String nodeName = options.nodeName();
        MachineInfo found = MachineInfo.read(agentDir);
        MachineInfo machine = options.nodeIp != null ? found.withInternalIp(options.nodeIp) : found;
        this.internalIp = machine.internalIp();
        PodWorkers workers = new PodWorkers(api, new PodWorkers.Config(nodeName, machine.internalIp(), runtime, images, network,
                new PodDirectories(agentDir), java.util.Map.of(
                        "cpu", new io.fabric8.kubernetes.api.model.Quantity(Integer.toString(machine.cpus())),
                        "memory", new io.fabric8.kubernetes.api.model.Quantity(Long.toString(machine.memoryBytes())),
                        "ephemeral-storage", new io.fabric8.kubernetes.api.model.Quantity(Long.toString(machine.diskBytes()))),
                java.util.List.of(options.clusterDns), options.clusterDomain));
        PodStats podStats = workers.stats();
        podStats.onPodStarted(metrics::podStarted);
        stats = new NodeStats(nodeName, podStats, HostUsage.system(), Clock.systemUTC());
        server = new AgentServer(new AgentServer.Config("0.0.0.0", options.port, keyStore, password, trustStore), workers.streams(),
                stats, metrics.watch(stats));
        server.start();
        agent = new NodeAgent(api, new NodeAgent.Config(nodeName, agentDir, server.port(), options.podCidr), machine, runtime, images, workers);
        // NetworkPolicy is enforced where pods sit on the CNI bridge, with iptables (as kube-router in k3s).
        policies = network == PodNetwork.LOOPBACK_ONLY ? null : Iptables.find()
                .map(ipt -> NetworkPolicyAgent.start(api, ipt, new NetworkPolicyAgent.Config(nodeName, options.cniBridge)))
                .orElseGet(() -> {
                    LOG.warn("no iptables found: NetworkPolicies are not enforced on this node");
                    return null;
                });
    }

    static NodeAgentLauncher start(ApiClient api, Path dataDir, AgentOptions options, KeyStore keyStore, char[] password,
                                   KeyStore trustStore) throws Exception {
        NodeAgentLauncher launcher = new NodeAgentLauncher(api, dataDir, options, keyStore, password, trustStore);
        launcher.agent.start();
        launcher.stats.start();
        if (!options.disableProxy) {
            // pod traffic (not masqueraded) is the cluster's, or this node's own subnet when it was given outside it
            String podTraffic = options.podCidr != null ? options.podCidr : options.clusterCidr;
            launcher.proxy = ServiceProxy.start(api, new ProxyConfig(options.nodeName(), List.of(launcher.internalIp), podTraffic,
                    options.proxyChainTag, ProxyConfig.routeLocalnet(), ProxyConfig.DEFAULT_MIN_SYNC_PERIOD));
        }
        if (!options.disableIngress) {
            launcher.ingress = startIngress(api, options, launcher.internalIp);
        }
        launcher.plugins.ifPresent(found -> launcher.networkStart = Thread.ofVirtual().name("pod-network")
                .start(() -> launcher.startPodNetwork(api, options, found, dataDir.resolve("agent"))));
        return launcher;
    }

    /** The node's Ingress; a port already taken (another ingress on this host) leaves the node running without one. */
    private static NodeIngress startIngress(ApiClient api, AgentOptions options, String nodeIp) {
        try {
            return NodeIngress.start(api, new NodeIngress.Config(java.util.List.of(nodeIp), "0.0.0.0",
                    options.ingressHttpPort, options.ingressHttpsPort));
        } catch (Exception e) {
            LOG.warn("no built-in ingress on this node: ports {}/{}: {}", options.ingressHttpPort, options.ingressHttpsPort, e.toString());
            return null;
        }
    }

    /** Builds the CNI configuration from this node's subnet once it is known, then joins the other nodes' networks. */
    private void startPodNetwork(ApiClient api, AgentOptions options, CniPlugins found, Path agentDir) {
        try {
            String podCidr = options.podCidr != null ? options.podCidr
                    : NodePodCidr.await(api, options.nodeName(), java.time.Duration.ofMillis(250));
            LOG.info("pod network: subnet {} of cluster {}", podCidr, options.clusterCidr);
            podNetwork.ready(new CniPodNetwork(new CniNetwork(found,
                    new CniNetworkConfig("capstan", options.cniBridge, podCidr, agentDir.resolve("cni")))));
            routing = PodNetworkRouting.start(api, new PodNetworkRouting.Config(options.nodeName(), options.cniBridge,
                    options.clusterCidr, podCidr));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("pod network routing failed to start: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (networkStart != null) {
            networkStart.interrupt();
            try {
                networkStart.join(java.time.Duration.ofSeconds(10)); // it may be writing the routing rules: let it, then remove them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (routing != null) {
            routing.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (ingress != null) {
            ingress.close();
        }
        if (policies != null) {
            policies.close();
        }
        stats.close();
        agent.close();
        server.close();
        runtime.close();
    }
}
