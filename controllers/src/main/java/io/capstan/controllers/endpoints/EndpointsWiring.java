package io.capstan.controllers.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.ServicePods;
import java.time.Clock;

/** Connects the Endpoints controller to the informers: Services, the pods they select, and deleted Endpoints. */
public final class EndpointsWiring {

    private EndpointsWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer services = informers.of(Kinds.SERVICES);
        Informer pods = informers.of(Kinds.PODS);
        Informer endpoints = informers.of(Kinds.ENDPOINTS);
        EventRecorder events = EventRecorder.async(api, "endpoint-controller", clock);
        ControllerLoop loop = new ControllerLoop("endpoints", new EndpointsController(api, services, pods, endpoints, events), 5);
        services.addHandler(ServicePods.enqueueSelf(loop));
        pods.addHandler(ServicePods.enqueueServices(services, loop));
        endpoints.addHandler(new Informer.Handler() {
            @Override
            public void deleted(ObjectNode ep) {
                loop.queue().add(ObjectCache.key(ep)); // put back if its Service still selects pods
            }
        });
        return loop;
    }
}
