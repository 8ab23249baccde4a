package io.capstan.network.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.Informer;
import io.capstan.network.iptables.Iptables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod network between nodes, host-gw style: this node routes every other node's pod subnet through that node's
 * InternalIP (following the Nodes as they come and go), forwards IP packets, accepts forwarding of pod traffic and
 * masquerades pod traffic that leaves the cluster CIDR. Everything it wrote is removed when it is closed.
 */
public final class PodNetworkRouting implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodNetworkRouting.class);
    private static final long RESYNC_SECONDS = 30;
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private final Informer nodes;
    private final RouteReconciler routes;
    private final ForwardingRules rules;
    private final ScheduledExecutorService syncer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pod-routes").factory());
    private final AtomicBoolean pending = new AtomicBoolean();

    /**
     * How this node's pod network joins the others.
     *
     * @param nodeName this node
     * @param bridge the pod bridge (names this node's iptables chains)
     * @param clusterCidr the whole pod network, e.g. 10.42.0.0/16
     * @param podCidr this node's subnet of it
     */
    public record Config(String nodeName, String bridge, String clusterCidr, String podCidr) {}

    private PodNetworkRouting(ApiClient api, Config config, Optional<Iptables> iptables) {
        this.nodes = new Informer(api, Kinds.NODES, "");
        this.routes = new RouteReconciler(config.nodeName(), config.podCidr(), new IpRouteTable());
        this.rules = iptables.map(ipt -> new ForwardingRules(ipt, config.bridge(), config.clusterCidr(), config.podCidr())).orElse(null);
    }

    /** Enables forwarding, writes the rules and starts following the Nodes. */
    public static PodNetworkRouting start(ApiClient api, Config config) {
        Optional<Iptables> iptables = Iptables.find();
        if (iptables.isEmpty()) {
            LOG.warn("iptables not found: pod traffic is neither accepted for forwarding nor masqueraded");
        }
        PodNetworkRouting routing = new PodNetworkRouting(api, config, iptables);
        enableForwarding();
        if (routing.rules != null) {
            routing.rules.apply();
        }
        routing.nodes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                routing.syncSoon();
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                if (!old.path("spec").equals(node.path("spec")) || !old.path("status").path("addresses").equals(node.path("status").path("addresses"))) {
                    routing.syncSoon();
                }
            }

            @Override
            public void deleted(ObjectNode node) {
                routing.syncSoon();
            }
        });
        routing.nodes.start();
        // Routes the kernel dropped (an interface went down and up) come back on the next pass.
        routing.syncer.scheduleWithFixedDelay(routing::syncSoon, RESYNC_SECONDS, RESYNC_SECONDS, TimeUnit.SECONDS);
        LOG.info("pod network {} on this node, cluster {}: routing to other nodes host-gw style", config.podCidr(), config.clusterCidr());
        return routing;
    }

    /** Removes the rules an agent with this bridge left behind (it was killed); for test and benchmark clean-up. */
    public static void removeRules(String bridge) {
        Iptables.find().ifPresent(ipt -> new ForwardingRules(ipt, bridge, "0.0.0.0/32", "0.0.0.0/32").remove());
    }

    /** One sync for any number of events that arrive while it waits. */
    private void syncSoon() {
        if (pending.compareAndSet(false, true)) {
            syncer.execute(() -> {
                pending.set(false);
                try {
                    if (nodes.awaitSynced(java.time.Duration.ofSeconds(30))) {
                        routes.sync(nodes.list());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private static void enableForwarding() {
        try {
            if (!Files.readString(IP_FORWARD).trim().equals("1")) {
                Files.writeString(IP_FORWARD, "1");
                LOG.info("enabled net.ipv4.ip_forward");
            }
        } catch (IOException e) {
            LOG.warn("could not enable net.ipv4.ip_forward: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        nodes.close();
        syncer.shutdownNow();
        try {
            syncer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        routes.removeAll();
        if (rules != null) {
            rules.remove();
        }
    }
}
