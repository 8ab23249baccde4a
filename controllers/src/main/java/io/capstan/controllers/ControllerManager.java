package io.capstan.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.client.ApiClient;
import io.capstan.client.Discovery;
import io.capstan.client.Informer;
import io.capstan.controllers.gc.GarbageCollectorController;
import io.capstan.controllers.namespace.NamespaceController;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Starts every controller against the API and stops them together. */
public final class ControllerManager implements AutoCloseable {

    private static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false,
            List.of("ns"), List.of(), Set.of("status", "finalize"), null);

    private final ApiClient api;
    private final List<AutoCloseable> running = new ArrayList<>();

    public ControllerManager(ApiClient api) {
        this.api = api;
    }

    public void start() {
        GarbageCollectorController gc = new GarbageCollectorController(api);
        gc.start();
        running.add(gc);

        Discovery discovery = new Discovery(api);
        ControllerLoop namespaceLoop = new ControllerLoop("namespace",
                new NamespaceController(api, NAMESPACES, discovery::deletableKinds), 2);
        Informer namespaces = new Informer(api, NAMESPACES, "").addHandler(enqueueTerminating(namespaceLoop));
        namespaceLoop.start();
        namespaces.start();
        running.add(namespaces);
        running.add(namespaceLoop);
    }

    private static Informer.Handler enqueueTerminating(ControllerLoop loop) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode ns) {
                if (Json.at(ns, "metadata", "deletionTimestamp") != null) {
                    loop.queue().add(Json.text(ns, "metadata", "name"));
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode ns) {
                added(ns);
            }
        };
    }

    @Override
    public void close() {
        for (AutoCloseable c : running.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping: nothing more to do
            }
        }
    }
}
