package io.capstan.controllers.gc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One metadata.ownerReferences entry. */
record OwnerRef(String apiVersion, String kind, String name, String uid, boolean blockOwnerDeletion) {

    static List<OwnerRef> of(JsonNode object) {
        List<OwnerRef> refs = new ArrayList<>();
        for (JsonNode r : object.path("metadata").path("ownerReferences")) {
            refs.add(new OwnerRef(r.path("apiVersion").asText(), r.path("kind").asText(), r.path("name").asText(),
                    r.path("uid").asText(), r.path("blockOwnerDeletion").asBoolean(false)));
        }
        return refs;
    }
}
