package io.capstan.controllers.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.ServicePods;
import java.time.Clock;

/** Connects the EndpointSlice controller to the informers: Services, the pods they select, and the slices it manages. */
public final class EndpointSliceWiring {

    private EndpointSliceWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer services = informers.of(Kinds.SERVICES);
        Informer pods = informers.of(Kinds.PODS);
        Informer slices = informers.of(Kinds.ENDPOINT_SLICES);
        Informer nodes = informers.of(Kinds.NODES);
        EventRecorder events = EventRecorder.async(api, "endpoint-slice-controller", clock);
        ControllerLoop loop = new ControllerLoop("endpointslice",
                new EndpointSliceController(api, services, pods, slices, nodes, events), 5);
        services.addHandler(ServicePods.enqueueSelf(loop));
        pods.addHandler(ServicePods.enqueueServices(services, loop));
        slices.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode slice) {
                if (EndpointSliceController.CONTROLLER_NAME.equals(Json.text(slice, "metadata", "labels", EndpointSliceController.MANAGED_BY))) {
                    String service = Json.text(slice, "metadata", "labels", EndpointSliceController.SERVICE_NAME);
                    if (service != null) {
                        loop.queue().add(ObjectCache.key(Json.text(slice, "metadata", "namespace"), service));
                    }
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode slice) {
                added(slice);
            }

            @Override
            public void deleted(ObjectNode slice) {
                added(slice);
            }
        });
        return loop;
    }
}
