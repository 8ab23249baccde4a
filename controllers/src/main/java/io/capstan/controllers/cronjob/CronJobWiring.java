package io.capstan.controllers.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;

/** Connects the CronJob controller to the informers: CronJob changes and changes of the Jobs they control. */
public final class CronJobWiring {

    private CronJobWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer cronJobs = informers.of(Kinds.CRON_JOBS);
        Informer jobs = informers.of(Kinds.JOBS);
        EventRecorder events = EventRecorder.async(api, "cronjob-controller", clock);
        ControllerLoop loop = new ControllerLoop("cronjob", new CronJobController(api, cronJobs, jobs, events, clock), 2);
        cronJobs.addHandler(enqueue(loop, false));
        jobs.addHandler(enqueue(loop, true));
        return loop;
    }

    /** Enqueues the object itself, or for a Job the CronJob controlling it. */
    private static Informer.Handler enqueue(ControllerLoop loop, boolean byOwner) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                String key = byOwner ? ownerKey(object) : ObjectCache.key(object);
                if (key != null) {
                    loop.queue().add(key);
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode object) {
                added(object);
            }

            @Override
            public void deleted(ObjectNode object) {
                added(object);
            }
        };
    }

    private static String ownerKey(JsonNode job) {
        JsonNode ref = OwnerRefs.controllerOf(job);
        if (ref == null || !ref.path("kind").asText().equals("CronJob")) {
            return null;
        }
        return ObjectCache.key(job.path("metadata").path("namespace").asText(), ref.path("name").asText());
    }
}
