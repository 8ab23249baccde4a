package io.capstan.controllers.disruption;

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
import java.time.Clock;

/** Connects the disruption controller to the informers: a budget's own changes, and any change of a pod it selects. */
public final class DisruptionWiring {

    private DisruptionWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer budgets = informers.of(Kinds.POD_DISRUPTION_BUDGETS);
        Informer pods = informers.of(Kinds.PODS);
        ControllerLoop loop = new ControllerLoop("disruption", new DisruptionController(api, budgets, pods,
                informers.of(Kinds.REPLICA_SETS), informers.of(Kinds.DEPLOYMENTS), informers.of(Kinds.STATEFUL_SETS),
                EventRecorder.async(api, "controllermanager", clock), clock), 2);
        budgets.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pdb) {
                loop.queue().add(ObjectCache.key(pdb));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pdb) {
                added(pdb);
            }
        });
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                enqueueBudgetsOf(budgets, loop, pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                enqueueBudgetsOf(budgets, loop, pod);
                if (!old.path("metadata").path("labels").equals(pod.path("metadata").path("labels"))) {
                    enqueueBudgetsOf(budgets, loop, old);
                }
            }

            @Override
            public void deleted(ObjectNode pod) {
                enqueueBudgetsOf(budgets, loop, pod);
            }
        });
        return loop;
    }

    private static void enqueueBudgetsOf(ObjectCache budgets, ControllerLoop loop, ObjectNode pod) {
        for (ObjectNode pdb : budgets.byIndex(Indexes.NAMESPACE, Json.text(pod, "metadata", "namespace"))) {
            try {
                if (LabelSelector.fromJson(Json.at(pdb, "spec", "selector")).matches(pod)) {
                    loop.queue().add(ObjectCache.key(pdb));
                }
            } catch (IllegalArgumentException e) {
                // a selector that cannot be read selects nothing
            }
        }
    }
}
