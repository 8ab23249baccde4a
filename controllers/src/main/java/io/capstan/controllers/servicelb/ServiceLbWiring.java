package io.capstan.controllers.servicelb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import java.time.Clock;

/** Connects the ServiceLB controller: LoadBalancer Services, and every one of them when a node's readiness or address changes. */
public final class ServiceLbWiring {

    private ServiceLbWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer services = informers.of(Kinds.SERVICES);
        Informer nodes = informers.of(Kinds.NODES);
        EventRecorder events = EventRecorder.async(api, "service-lb-controller", clock);
        ControllerLoop loop = new ControllerLoop("servicelb", new ServiceLbController(api, services, nodes, events), 2);
        services.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode svc) {
                if (ServiceLbController.ours(svc) || !svc.path("status").path("loadBalancer").path("ingress").isMissingNode()) {
                    loop.queue().add(ObjectCache.key(svc));
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode svc) {
                added(svc);
            }
        });
        nodes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                enqueueAll();
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                if (ServiceLbController.ready(old) != ServiceLbController.ready(node) || !addresses(old).equals(addresses(node))) {
                    enqueueAll();
                }
            }

            @Override
            public void deleted(ObjectNode node) {
                enqueueAll();
            }

            private JsonNode addresses(ObjectNode node) {
                return node.path("status").path("addresses");
            }

            private void enqueueAll() {
                for (ObjectNode svc : services.list()) {
                    if (ServiceLbController.ours(svc)) {
                        loop.queue().add(ObjectCache.key(svc));
                    }
                }
            }
        });
        return loop;
    }
}
