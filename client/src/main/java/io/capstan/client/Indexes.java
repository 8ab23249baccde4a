package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The index functions controllers share: by namespace, by the uid of the controlling owner, and by node (pods). */
public final class Indexes {

    public static final String NAMESPACE = "namespace";
    public static final String CONTROLLER = "controller";
    /** Pods by spec.nodeName (unbound pods are in no entry). */
    public static final String NODE_NAME = "spec.nodeName";

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

    /** The node a pod is bound to, if any. */
    public static List<String> nodeName(ObjectNode object) {
        String node = object.path("spec").path("nodeName").asText("");
        return node.isEmpty() ? List.of() : List.of(node);
    }

    /** Adds the standard indexes to an informer. */
    public static Informer standard(Informer informer) {
        return informer.addIndex(NAMESPACE, Indexes::namespace).addIndex(CONTROLLER, Indexes::controller)
                .addIndex(NODE_NAME, Indexes::nodeName);
    }
}
