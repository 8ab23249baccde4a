package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;

/** What controllers' informer handlers share: they only turn events into keys on a queue. */
public final class Enqueue {

    private Enqueue() {}

    /** A handler that queues the object's own key whenever it is added, changed or deleted. */
    public static Informer.Handler self(ControllerLoop loop) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                loop.queue().add(ObjectCache.key(object));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode object) {
                loop.queue().add(ObjectCache.key(object));
            }

            @Override
            public void deleted(ObjectNode object) {
                loop.queue().add(ObjectCache.key(object));
            }
        };
    }

    /** The key of the object's controller (in the object's namespace) when it is of that kind, else null. */
    public static String controllerKey(JsonNode object, String kind) {
        JsonNode ref = OwnerRefs.controllerOf(object);
        if (ref == null || !ref.path("kind").asText().equals(kind)) {
            return null;
        }
        return ObjectCache.key(object.path("metadata").path("namespace").asText(), ref.path("name").asText());
    }
}
