package io.capstan.controllers.nodeipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every Node a pod subnet of the cluster CIDR in spec.podCIDR and spec.podCIDRs, as kube-controller-manager's
 * range allocator: subnets Nodes already carry are taken first (so a restart hands out no subnet twice), a Node
 * without one gets the next free one, a deleted Node's subnet is free again, and a Node that cannot get one is told
 * so by a CIDRNotAvailable event.
 */
public final class NodeIpamController implements Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(NodeIpamController.class);
    static final Duration RETRY = Duration.ofSeconds(5);

    private final Api api;
    private final ObjectCache nodes;
    private final BooleanSupplier synced;
    private final EventRecorder events;
    private final CidrSet cidrs;
    /** Which subnet each Node holds, by name, so that it can be freed when the Node is gone. */
    private final Map<String, Ipv4Cidr> held = new ConcurrentHashMap<>();
    private volatile boolean occupied;

    /**
     * @param clusterCidr the range node subnets come from, e.g. 10.42.0.0/16
     * @param nodeMaskSize the prefix length of each node's subnet (24); a longer cluster prefix is the one subnet
     * @param synced whether the node cache holds every Node yet: none is given a subnet before those in use are known
     */
    public NodeIpamController(Api api, ObjectCache nodes, BooleanSupplier synced, EventRecorder events, String clusterCidr,
                              int nodeMaskSize) {
        this.api = api;
        this.nodes = nodes;
        this.synced = synced;
        this.events = events;
        Ipv4Cidr cluster = Ipv4Cidr.parse(clusterCidr);
        this.cidrs = new CidrSet(cluster, Math.max(nodeMaskSize, cluster.prefix()));
    }

    @Override
    public synchronized Result reconcile(String name) {
        if (!occupied) {
            if (!synced.getAsBoolean()) {
                return Result.requeueAfter(Duration.ofMillis(100));
            }
            nodes.list().forEach(this::occupy);
            occupied = true;
        }
        ObjectNode node = nodes.get("", name).orElse(null);
        if (node == null) {
            Ipv4Cidr freed = held.remove(name);
            if (freed != null) {
                cidrs.release(freed);
                LOG.info("released pod CIDR {} of deleted node {}", freed, name);
            }
            return Result.done();
        }
        if (podCidr(node) != null) {
            occupy(node);
            return Result.done();
        }
        Ipv4Cidr cidr = held.get(name); // a Node deleted and created again before we saw it go keeps its subnet
        if (cidr == null) {
            try {
                cidr = cidrs.allocateNext();
            } catch (CidrSet.FullException e) {
                events.normal(node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
                LOG.warn("no pod CIDR left for node {}: {}", name, e.getMessage());
                return Result.requeueAfter(RETRY);
            }
            held.put(name, cidr);
        }
        ObjectNode patch = Json.object();
        ObjectNode spec = patch.putObject("spec").put("podCIDR", cidr.toString());
        spec.putArray("podCIDRs").add(cidr.toString());
        try {
            api.patch(Kinds.NODES, "", name, "", ApiClient.MERGE_PATCH, patch);
        } catch (StatusException e) {
            if (e.code() == 404) {
                cidrs.release(held.remove(name));
                return Result.done();
            }
            events.normal(node, "CIDRAssignmentFailed", "Node " + name + " status is now: CIDRAssignmentFailed");
            throw e; // retried; the subnet stays held for this Node meanwhile
        }
        LOG.info("set node {} pod CIDR {}", name, cidr);
        return Result.done();
    }

    /** Takes the subnet the Node already carries; one outside the cluster CIDR (another configuration's) is left alone. */
    private void occupy(JsonNode node) {
        String name = Json.text(node, "metadata", "name");
        String text = podCidr(node);
        if (text == null) {
            return;
        }
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("node {} has pod CIDR {}: {}", name, text, e.getMessage());
            return;
        }
        Ipv4Cidr before = held.get(name);
        if (cidr.equals(before)) {
            return;
        }
        if (!cidrs.covers(cidr)) {
            LOG.warn("node {} has pod CIDR {} outside the cluster CIDR; not tracking it", name, cidr);
            return;
        }
        if (before != null) {
            cidrs.release(before); // reserved for it, but it got another (written by someone else)
        }
        cidrs.occupy(cidr);
        held.put(name, cidr);
    }

    /** spec.podCIDRs[0], else spec.podCIDR; null when it has none. */
    static String podCidr(JsonNode node) {
        JsonNode list = node.path("spec").path("podCIDRs");
        if (list.isArray() && !list.isEmpty() && !list.get(0).asText().isEmpty()) {
            return list.get(0).asText();
        }
        String single = node.path("spec").path("podCIDR").asText("");
        return single.isEmpty() ? null : single;
    }
}
