package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Kubernetes' ControllerRefManager: the objects a controller owns are those with its
 * controllerRef that still match; matching orphans are adopted, owned objects that stopped
 * matching are released. A controller being deleted neither adopts nor releases.
 */
public final class Claims {

    private Claims() {}

    /** The objects of the cache that owner controls after adopting and releasing. */
    public static List<ObjectNode> claim(Api api, ResourceType type, ObjectCache cache, JsonNode owner, Predicate<JsonNode> matches) {
        String uid = Json.text(owner, "metadata", "uid");
        String ns = Json.text(owner, "metadata", "namespace");
        boolean deleting = Json.at(owner, "metadata", "deletionTimestamp") != null;
        List<ObjectNode> owned = new ArrayList<>();
        for (ObjectNode obj : cache.byIndex(Indexes.CONTROLLER, uid)) {
            if (matches.test(obj) || deleting) {
                owned.add(obj);
            } else if (!obj.path("metadata").hasNonNull("deletionTimestamp")) {
                setControllerRef(api, type, obj, uid, null);
            }
        }
        if (!deleting) {
            for (ObjectNode obj : cache.byIndex(Indexes.NAMESPACE, ns)) {
                if (OwnerRefs.controllerUid(obj) == null && !obj.path("metadata").hasNonNull("deletionTimestamp")
                        && matches.test(obj) && setControllerRef(api, type, obj, null, OwnerRefs.controllerRef(owner))) {
                    owned.add(obj);
                }
            }
        }
        return owned;
    }

    /**
     * Removes the owner reference with removeUid and/or adds one, guarded by the object's
     * resourceVersion; false when the object changed or vanished meanwhile (the next pass sees it).
     */
    public static boolean setControllerRef(Api api, ResourceType type, JsonNode obj, String removeUid, ObjectNode add) {
        ArrayNode refs = Json.array();
        for (JsonNode r : obj.path("metadata").path("ownerReferences")) {
            if (removeUid == null || !r.path("uid").asText().equals(removeUid)) {
                refs.add(r);
            }
        }
        if (add != null) {
            refs.add(add);
        }
        return patchOwnerRefs(api, type, obj, refs);
    }

    /** Replaces the object's ownerReferences, guarded by its resourceVersion; false on 404 or 409. */
    public static boolean patchOwnerRefs(Api api, ResourceType type, JsonNode obj, ArrayNode refs) {
        ObjectNode patch = Json.object();
        ObjectNode meta = patch.putObject("metadata").put("resourceVersion", Json.text(obj, "metadata", "resourceVersion"));
        if (refs.isEmpty()) {
            meta.putNull("ownerReferences");
        } else {
            meta.set("ownerReferences", refs);
        }
        try {
            api.patch(type, Json.text(obj, "metadata", "namespace"), Json.text(obj, "metadata", "name"), "", ApiClient.MERGE_PATCH, patch);
            return true;
        } catch (StatusException e) {
            if (e.code() == 404 || e.code() == 409) {
                return false;
            }
            throw e;
        }
    }
}
