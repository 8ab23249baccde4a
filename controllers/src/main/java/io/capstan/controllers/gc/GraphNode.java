package io.capstan.controllers.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import java.util.ArrayList;
import java.util.List;

/** What the garbage collector knows of one object: who it is, who owns it, and whether it is being deleted. */
record GraphNode(String uid, ResourceType type, String namespace, String name, List<OwnerRef> owners, boolean deleting,
                 List<String> finalizers) {

    static GraphNode of(ResourceType type, ObjectNode object) {
        JsonNode meta = object.path("metadata");
        List<String> finalizers = new ArrayList<>();
        meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
        return new GraphNode(meta.path("uid").asText(), type, meta.path("namespace").asText(""), meta.path("name").asText(),
                OwnerRef.of(object), meta.hasNonNull("deletionTimestamp"), finalizers);
    }

    boolean has(String finalizer) {
        return finalizers.contains(finalizer);
    }
}
