package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** Controllers' own finalizers on objects: whether one is there, and the patch that takes it off. */
public final class Finalizers {

    private Finalizers() {}

    public static boolean has(JsonNode object, String finalizer) {
        for (JsonNode f : object.path("metadata").path("finalizers")) {
            if (f.asText().equals(finalizer)) {
                return true;
            }
        }
        return false;
    }

    /** A merge patch taking the finalizer off the object, conditional on its resourceVersion (409 when it changed). */
    public static ObjectNode removalPatch(JsonNode object, String finalizer) {
        ArrayNode kept = Json.array();
        for (JsonNode f : object.path("metadata").path("finalizers")) {
            if (!f.asText().equals(finalizer)) {
                kept.add(f);
            }
        }
        ObjectNode patch = Json.object();
        patch.putObject("metadata").put("resourceVersion", object.path("metadata").path("resourceVersion").asText())
                .set("finalizers", kept.isEmpty() ? null : kept);
        return patch;
    }
}
