package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The index functions controllers share: by namespace, and by the uid of the controlling owner. */
public final class Indexes {

    public static final String NAMESPACE = "namespace";
    public static final String CONTROLLER = "controller";

    private Indexes() {}

    public static List<String> namespace(ObjectNode object) {
        return List.of(object.path("metadata").path("namespace").asText(""));
    }

    /** The uid of the owner reference with controller: true, if any. */
    public static List<String> controller(ObjectNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return List.of(ref.path("uid").asText());
            }
        }
        return List.of();
    }

    /** Adds both indexes to an informer. */
    public static Informer standard(Informer informer) {
        return informer.addIndex(NAMESPACE, Indexes::namespace).addIndex(CONTROLLER, Indexes::controller);
    }
}
