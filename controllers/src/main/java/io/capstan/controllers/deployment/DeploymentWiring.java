package io.capstan.controllers.deployment;

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
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;

/** Connects the Deployment controller to the informers: Deployments, and the ReplicaSets they own. */
public final class DeploymentWiring {

    private DeploymentWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer deployments = informers.of(Kinds.DEPLOYMENTS);
        Informer replicaSets = informers.of(Kinds.REPLICA_SETS);
        Informer pods = informers.of(Kinds.PODS);
        EventRecorder events = EventRecorder.async(api, "deployment-controller", clock);
        ControllerLoop loop = new ControllerLoop("deployment",
                new DeploymentController(api, deployments, replicaSets, pods, events, clock), 4);
        deployments.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode d) {
                loop.queue().add(ObjectCache.key(d));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode d) {
                loop.queue().add(ObjectCache.key(d));
            }
        });
        replicaSets.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode rs) {
                enqueueOwner(rs);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode rs) {
                enqueueOwner(rs);
            }

            @Override
            public void deleted(ObjectNode rs) {
                enqueueOwner(rs);
            }

            private void enqueueOwner(ObjectNode rs) {
                JsonNode ref = OwnerRefs.controllerOf(rs);
                String ns = Json.text(rs, "metadata", "namespace");
                if (ref != null && ref.path("kind").asText().equals("Deployment")) {
                    loop.queue().add(ObjectCache.key(ns, ref.path("name").asText()));
                } else if (ref == null) {
                    for (ObjectNode d : deployments.byIndex(Indexes.NAMESPACE, ns)) {
                        if (LabelSelector.fromJson(Json.at(d, "spec", "selector")).matches(rs)) {
                            loop.queue().add(ObjectCache.key(d));
                        }
                    }
                }
            }
        });
        // Recreate waits for old pods to be gone: their deletion is worth a look.
        pods.addHandler(new Informer.Handler() {
            @Override
            public void deleted(ObjectNode pod) {
                JsonNode ref = OwnerRefs.controllerOf(pod);
                if (ref != null && ref.path("kind").asText().equals("ReplicaSet")) {
                    replicaSets.get(Json.text(pod, "metadata", "namespace"), ref.path("name").asText()).ifPresent(rs -> {
                        JsonNode owner = OwnerRefs.controllerOf(rs);
                        if (owner != null && owner.path("kind").asText().equals("Deployment")) {
                            loop.queue().add(ObjectCache.key(Json.text(rs, "metadata", "namespace"), owner.path("name").asText()));
                        }
                    });
                }
            }
        });
        return loop;
    }
}
