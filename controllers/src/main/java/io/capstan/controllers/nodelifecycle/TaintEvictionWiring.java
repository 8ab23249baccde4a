package io.capstan.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import java.time.Clock;
import java.util.Objects;

/** Connects the taint eviction controller to the informers: a change of a node's NoExecute taints, or of a pod's node or tolerations, concerns that node. */
public final class TaintEvictionWiring {

    private TaintEvictionWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer nodes = informers.of(Kinds.NODES);
        Informer pods = informers.of(Kinds.PODS);
        TaintEvictionController controller = new TaintEvictionController(api, nodes, pods,
                EventRecorder.async(api, "taint-eviction-controller", clock), clock);
        ControllerLoop loop = new ControllerLoop("taint-eviction", controller, 4);
        nodes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                if (!TaintEvictionController.noExecute(node).isEmpty()) {
                    loop.queue().add(Json.text(node, "metadata", "name"));
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                if (!TaintEvictionController.noExecute(old).equals(TaintEvictionController.noExecute(node))) {
                    loop.queue().add(Json.text(node, "metadata", "name"));
                }
            }

            @Override
            public void deleted(ObjectNode node) {
                loop.queue().add(Json.text(node, "metadata", "name"));
            }
        });
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                NodeLifecycleWiring.enqueueNodeOf(loop, pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                if (!Objects.equals(Json.text(old, "spec", "nodeName"), Json.text(pod, "spec", "nodeName"))
                        || !old.path("spec").path("tolerations").equals(pod.path("spec").path("tolerations"))) {
                    added(pod);
                }
            }

            @Override
            public void deleted(ObjectNode pod) {
                controller.forget(ObjectCache.key(pod));
            }
        });
        return loop;
    }
}
