package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.Expectations;
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;
import java.util.List;

/** Connects the Job controller and the TTL-after-finished controller to the informers. */
public final class JobWiring {

    private JobWiring() {}

    /** The Job controller's loop and the TTL-after-finished controller's loop. */
    public static List<ControllerLoop> register(Api api, SharedInformers informers, Clock clock) {
        Informer jobs = informers.of(Kinds.JOBS);
        Informer pods = informers.of(Kinds.PODS);
        Expectations expectations = new Expectations();
        EventRecorder events = EventRecorder.async(api, "job-controller", clock);
        ControllerLoop loop = new ControllerLoop("job", new JobController(api, jobs, pods, events, expectations, clock), 4);
        ControllerLoop ttl = new ControllerLoop("ttl-after-finished", new TtlAfterFinishedController(api, jobs, clock), 2);
        jobs.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode job) {
                loop.queue().add(ObjectCache.key(job));
                if (job.path("spec").hasNonNull("ttlSecondsAfterFinished") && JobConditions.finished(job)) {
                    ttl.queue().add(ObjectCache.key(job));
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode job) {
                added(job);
            }

            @Override
            public void deleted(ObjectNode job) {
                loop.queue().add(ObjectCache.key(job));
            }
        });
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                String owner = ownerKey(pod);
                if (owner != null) {
                    expectations.creationObserved(owner);
                    loop.queue().add(owner);
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                String owner = ownerKey(pod);
                if (owner == null) {
                    return;
                }
                if (!old.path("metadata").hasNonNull("deletionTimestamp") && pod.path("metadata").hasNonNull("deletionTimestamp")) {
                    expectations.deletionObserved(owner); // a pod being deleted no longer counts
                }
                loop.queue().add(owner);
            }

            @Override
            public void deleted(ObjectNode pod) {
                String owner = ownerKey(pod);
                if (owner != null) {
                    if (!pod.path("metadata").hasNonNull("deletionTimestamp")) {
                        expectations.deletionObserved(owner);
                    }
                    loop.queue().add(owner);
                }
            }
        });
        return List.of(loop, ttl);
    }

    /** The key of the Job that controls the pod. */
    private static String ownerKey(JsonNode pod) {
        JsonNode ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !ref.path("kind").asText().equals("Job")) {
            return null;
        }
        return ObjectCache.key(pod.path("metadata").path("namespace").asText(), ref.path("name").asText());
    }
}
