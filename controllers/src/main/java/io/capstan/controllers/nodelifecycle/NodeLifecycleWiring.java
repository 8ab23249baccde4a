package io.capstan.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.SharedInformers;
import java.time.Clock;
import java.util.Objects;

/** Connects the node lifecycle controller to the informers: node changes and newly bound pods concern a node; a periodic pass covers silence. */
public final class NodeLifecycleWiring {

    private NodeLifecycleWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer nodes = informers.of(Kinds.NODES);
        Informer pods = informers.of(Kinds.PODS);
        NodeLifecycleController controller = new NodeLifecycleController(api, nodes, informers.of(Kinds.LEASES), pods,
                EventRecorder.async(api, "node-controller", clock), clock);
        ControllerLoop loop = new ControllerLoop("node-lifecycle", controller, 4);
        controller.queue(loop.queue());
        nodes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                loop.queue().add(Json.text(node, "metadata", "name"));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                added(node);
            }
        });
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                enqueueNodeOf(loop, pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                if (!Objects.equals(Json.text(old, "spec", "nodeName"), Json.text(pod, "spec", "nodeName"))) {
                    added(pod);
                }
            }
        });
        loop.queue().add(NodeLifecycleController.TICK);
        return loop;
    }

    /** Enqueues the name of the node the pod is bound to, if any. */
    static void enqueueNodeOf(ControllerLoop loop, ObjectNode pod) {
        String node = Json.text(pod, "spec", "nodeName");
        if (node != null && !node.isEmpty()) {
            loop.queue().add(node);
        }
    }
}
