package io.capstan.controllers.podgc;

import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.SharedInformers;
import java.time.Clock;

/** Runs the pod garbage collector's pass every 20 s (gcCheckPeriod), on the shared pod and node caches. */
public final class PodGcWiring {

    private PodGcWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        ControllerLoop loop = new ControllerLoop("pod-garbage-collector",
                new PodGcController(api, informers.of(Kinds.PODS), informers.of(Kinds.NODES), clock), 1);
        loop.queue().add(PodGcController.PASS);
        return loop;
    }
}
