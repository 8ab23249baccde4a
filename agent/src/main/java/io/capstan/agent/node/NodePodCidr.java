package io.capstan.agent.node;

import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits for the pod subnet the server allocates to this node (spec.podCIDR), as a kubelet before its network is ready. */
public final class NodePodCidr {

    private static final Logger LOG = LoggerFactory.getLogger(NodePodCidr.class);

    private NodePodCidr() {}

    /** The Node's spec.podCIDR once it has one; reads the Node every {@code poll} until then. */
    public static String await(Api api, String nodeName, Duration poll) throws InterruptedException {
        long started = System.nanoTime();
        boolean told = false;
        while (true) {
            try {
                String cidr = api.find(Kinds.NODES, "", nodeName).map(n -> Json.text(n, "spec", "podCIDR")).orElse(null);
                if (cidr != null && !cidr.isEmpty()) {
                    return cidr;
                }
            } catch (StatusException | IllegalStateException e) {
                LOG.debug("reading node {}: {}", nodeName, e.getMessage());
            }
            if (!told && System.nanoTime() - started > Duration.ofSeconds(10).toNanos()) {
                LOG.warn("node {} has no pod CIDR yet: is the server's node IPAM controller running (--cluster-cidr)?", nodeName);
                told = true;
            }
            Thread.sleep(poll);
        }
    }
}
