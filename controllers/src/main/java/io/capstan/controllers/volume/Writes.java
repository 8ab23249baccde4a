package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;

/** PUTs that report a lost race (409) or a vanished object (404) as null, for the caller to requeue. */
final class Writes {

    private Writes() {}

    static ObjectNode update(Api api, ResourceType type, ObjectNode next) {
        return put(api, type, next, "");
    }

    static ObjectNode updateStatus(Api api, ResourceType type, ObjectNode next) {
        return put(api, type, next, "status");
    }

    private static ObjectNode put(Api api, ResourceType type, ObjectNode next, String subresource) {
        try {
            return api.update(type, Json.text(next, "metadata", "namespace"), Json.text(next, "metadata", "name"), subresource, next);
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
            return null;
        }
    }
}
