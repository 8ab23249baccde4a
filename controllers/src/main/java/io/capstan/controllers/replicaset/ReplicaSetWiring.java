package io.capstan.controllers.replicaset;

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
import io.capstan.controllers.Expectations;
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;

/** Connects the ReplicaSet controller to the informers: which ReplicaSet each pod event concerns. */
public final class ReplicaSetWiring {

    private ReplicaSetWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer replicaSets = informers.of(Kinds.REPLICA_SETS);
        Informer pods = informers.of(Kinds.PODS);
        Expectations expectations = new Expectations();
        EventRecorder events = EventRecorder.async(api, "replicaset-controller", clock);
        ControllerLoop loop = new ControllerLoop("replicaset",
                new ReplicaSetController(api, replicaSets, pods, events, expectations, clock), 4);
        replicaSets.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode rs) {
                loop.queue().add(ObjectCache.key(rs));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode rs) {
                loop.queue().add(ObjectCache.key(rs));
            }

            @Override
            public void deleted(ObjectNode rs) {
                loop.queue().add(ObjectCache.key(rs));
            }
        });
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                String owner = ownerKey(replicaSets, pod);
                if (owner != null) {
                    expectations.creationObserved(owner);
                    loop.queue().add(owner);
                } else {
                    enqueueMatching(replicaSets, loop, pod);
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                String owner = ownerKey(replicaSets, pod);
                String oldOwner = ownerKey(replicaSets, old);
                if (owner != null) {
                    loop.queue().add(owner);
                }
                if (oldOwner != null && !oldOwner.equals(owner)) {
                    loop.queue().add(oldOwner);
                }
                if (owner == null && !old.path("metadata").path("labels").equals(pod.path("metadata").path("labels"))) {
                    enqueueMatching(replicaSets, loop, pod);
                }
            }

            @Override
            public void deleted(ObjectNode pod) {
                String owner = ownerKey(replicaSets, pod);
                if (owner != null) {
                    expectations.deletionObserved(owner);
                    loop.queue().add(owner);
                }
            }
        });
        return loop;
    }

    /** The key of the ReplicaSet that controls the pod, if it is one we know. */
    private static String ownerKey(ObjectCache replicaSets, JsonNode pod) {
        JsonNode ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !ref.path("kind").asText().equals("ReplicaSet")) {
            return null;
        }
        String ns = pod.path("metadata").path("namespace").asText();
        return ObjectCache.key(ns, ref.path("name").asText());
    }

    /** An orphan may be adopted by any ReplicaSet of its namespace whose selector matches it. */
    private static void enqueueMatching(ObjectCache replicaSets, ControllerLoop loop, ObjectNode pod) {
        String ns = Json.text(pod, "metadata", "namespace");
        for (ObjectNode rs : replicaSets.byIndex(Indexes.NAMESPACE, ns)) {
            if (LabelSelector.fromJson(Json.at(rs, "spec", "selector")).matches(pod)) {
                loop.queue().add(ObjectCache.key(rs));
            }
        }
    }
}
