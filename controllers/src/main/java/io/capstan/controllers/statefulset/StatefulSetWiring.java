package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.Enqueue;
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;

/** Connects the StatefulSet controller to the informers: which StatefulSet each pod event concerns. */
public final class StatefulSetWiring {

    private StatefulSetWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer sets = informers.of(Kinds.STATEFUL_SETS);
        Informer pods = informers.of(Kinds.PODS);
        Informer claims = informers.of(Kinds.PERSISTENT_VOLUME_CLAIMS);
        Informer revisions = informers.of(Kinds.CONTROLLER_REVISIONS);
        EventRecorder events = new EventRecorder(api, "statefulset-controller", clock);
        ControllerLoop loop = new ControllerLoop("statefulset",
                new StatefulSetController(api, sets, pods, claims, revisions, events, clock), 4);
        sets.addHandler(Enqueue.self(loop));
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                enqueueFor(sets, loop, pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                String owner = ownerKey(pod);
                String oldOwner = ownerKey(old);
                if (oldOwner != null && !oldOwner.equals(owner)) {
                    loop.queue().add(oldOwner);
                }
                if (owner != null || !old.path("metadata").path("labels").equals(pod.path("metadata").path("labels"))) {
                    enqueueFor(sets, loop, pod);
                }
            }

            @Override
            public void deleted(ObjectNode pod) {
                String owner = ownerKey(pod);
                if (owner != null) {
                    loop.queue().add(owner);
                }
            }
        });
        return loop;
    }

    /** The owning StatefulSet, or for an orphan every StatefulSet of its namespace that would adopt it. */
    private static void enqueueFor(ObjectCache sets, ControllerLoop loop, ObjectNode pod) {
        String owner = ownerKey(pod);
        if (owner != null) {
            loop.queue().add(owner);
            return;
        }
        if (OwnerRefs.controllerOf(pod) != null) {
            return;
        }
        for (ObjectNode set : sets.byIndex(Indexes.NAMESPACE, Json.text(pod, "metadata", "namespace"))) {
            if (LabelSelector.fromJson(Json.at(set, "spec", "selector")).matches(pod) && StatefulPods.isMemberOf(set, pod)) {
                loop.queue().add(ObjectCache.key(set));
            }
        }
    }

    private static String ownerKey(JsonNode obj) {
        return Enqueue.controllerKey(obj, "StatefulSet");
    }
}
