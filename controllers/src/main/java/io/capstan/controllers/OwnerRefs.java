package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** Controller owner references: the one a controller puts on what it creates, and how it reads them back. */
public final class OwnerRefs {

    private OwnerRefs() {}

    /** The controllerRef pointing at owner (controller and blockOwnerDeletion true, as Kubernetes' controllers set them). */
    public static ObjectNode controllerRef(JsonNode owner) {
        return Json.object().put("apiVersion", owner.path("apiVersion").asText()).put("kind", owner.path("kind").asText())
                .put("name", owner.path("metadata").path("name").asText()).put("uid", owner.path("metadata").path("uid").asText())
                .put("controller", true).put("blockOwnerDeletion", true);
    }

    /** The uid of the object's controller, or null when it has none. */
    public static String controllerUid(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref.path("uid").asText();
            }
        }
        return null;
    }

    /** The controller reference itself, or null. */
    public static JsonNode controllerOf(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref;
            }
        }
        return null;
    }
}
