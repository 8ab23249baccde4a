package io.capstan.controllers.daemonset;

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
import io.capstan.controllers.Enqueue;
import io.capstan.controllers.OwnerRefs;
import java.time.Clock;

/** Connects the DaemonSet controller to the informers: DaemonSets, their pods, their revisions, and the nodes they follow. */
public final class DaemonSetWiring {

    private DaemonSetWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers, Clock clock) {
        Informer daemonSets = informers.of(Kinds.DAEMON_SETS);
        Informer pods = informers.of(Kinds.PODS);
        Informer nodes = informers.of(Kinds.NODES);
        Informer revisions = informers.of(Kinds.CONTROLLER_REVISIONS);
        Expectations expectations = new Expectations();
        EventRecorder events = new EventRecorder(api, "daemonset-controller", clock);
        ControllerLoop loop = new ControllerLoop("daemonset",
                new DaemonSetController(api, daemonSets, pods, nodes, revisions, events, expectations, clock), 2);
        daemonSets.addHandler(Enqueue.self(loop));
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                String owner = ownerKey(pod);
                if (owner != null) {
                    expectations.creationObserved(owner);
                    loop.queue().add(owner);
                } else if (OwnerRefs.controllerOf(pod) == null) {
                    enqueueMatching(daemonSets, loop, pod);
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                String owner = ownerKey(pod);
                String oldOwner = ownerKey(old);
                if (owner != null) {
                    loop.queue().add(owner);
                }
                if (oldOwner != null && !oldOwner.equals(owner)) {
                    loop.queue().add(oldOwner);
                }
                if (OwnerRefs.controllerOf(pod) == null && !old.path("metadata").path("labels").equals(pod.path("metadata").path("labels"))) {
                    enqueueMatching(daemonSets, loop, pod);
                }
            }

            @Override
            public void deleted(ObjectNode pod) {
                String owner = ownerKey(pod);
                if (owner != null) {
                    expectations.deletionObserved(owner);
                    loop.queue().add(owner);
                }
            }
        });
        nodes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                for (ObjectNode ds : daemonSets.list()) {
                    if (NodeFit.check(node, DaemonPods.podSpec(ds)).shouldRun()) {
                        loop.queue().add(ObjectCache.key(ds));
                    }
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                if (old.path("metadata").path("labels").equals(node.path("metadata").path("labels"))
                        && old.path("spec").equals(node.path("spec"))) {
                    return; // status and lease renewals change nothing a DaemonSet looks at
                }
                for (ObjectNode ds : daemonSets.list()) {
                    JsonNode spec = DaemonPods.podSpec(ds);
                    if (!NodeFit.check(old, spec).equals(NodeFit.check(node, spec))) {
                        loop.queue().add(ObjectCache.key(ds));
                    }
                }
            }

            @Override
            public void deleted(ObjectNode node) {
                daemonSets.list().forEach(ds -> loop.queue().add(ObjectCache.key(ds)));
            }
        });
        revisions.addHandler(new Informer.Handler() {
            @Override
            public void deleted(ObjectNode revision) {
                String owner = ownerKey(revision);
                if (owner != null) {
                    loop.queue().add(owner);
                }
            }
        });
        return loop;
    }

    private static String ownerKey(JsonNode obj) {
        return Enqueue.controllerKey(obj, "DaemonSet");
    }

    /** An orphan may be adopted by any DaemonSet of its namespace whose selector matches it. */
    private static void enqueueMatching(ObjectCache daemonSets, ControllerLoop loop, ObjectNode pod) {
        for (ObjectNode ds : daemonSets.byIndex(Indexes.NAMESPACE, Json.text(pod, "metadata", "namespace"))) {
            if (LabelSelector.fromJson(Json.at(ds, "spec", "selector")).matches(pod)) {
                loop.queue().add(ObjectCache.key(ds));
            }
        }
    }
}
