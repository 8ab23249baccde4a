package io.capstan.controllers.nodeipam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.SharedInformers;
import java.time.Clock;

/** Connects the node IPAM controller to the Node informer: every Node event concerns that Node's subnet. */
public final class NodeIpamWiring {

    /** The prefix length of each node's pod subnet, as kube-controller-manager's --node-cidr-mask-size for IPv4. */
    static final int NODE_MASK_SIZE = 24;

    private NodeIpamWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock, String clusterCidr) {
        Informer nodes = informers.of(Kinds.NODES);
        NodeIpamController controller = new NodeIpamController(api, nodes, nodes::hasSynced,
                EventRecorder.async(api, "cidrAllocator", clock), clusterCidr, NODE_MASK_SIZE);
        // One worker: subnets are handed out one at a time.
        ControllerLoop loop = new ControllerLoop("node-ipam", controller, 1);
        nodes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                loop.queue().add(Json.text(node, "metadata", "name"));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                if (NodeIpamController.podCidr(node) == null || !java.util.Objects.equals(
                        NodeIpamController.podCidr(old), NodeIpamController.podCidr(node))) {
                    added(node);
                }
            }

            @Override
            public void deleted(ObjectNode node) {
                added(node);
            }
        });
        return loop;
    }
}
