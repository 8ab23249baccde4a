package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;

/** Writing a controller's status through the status subresource, only when it changed. */
public final class StatusUpdates {

    private StatusUpdates() {}

    /**
     * Puts status on the object unless it is already there; false when the object changed (409)
     * or vanished (404) meanwhile, for the caller to requeue: a newer version comes through the watch.
     */
    public static boolean write(Api api, ResourceType type, JsonNode object, ObjectNode status) {
        if (status.equals(object.path("status"))) {
            return true;
        }
        ObjectNode next = ((ObjectNode) object).deepCopy();
        next.set("status", status);
        try {
            api.update(type, Json.text(object, "metadata", "namespace"), Json.text(object, "metadata", "name"), "status", next);
            return true;
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
            return false;
        }
    }
}
