package io.capstan.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** Read access to a local copy of one kind's objects; what controllers read instead of asking the API. */
public interface ObjectCache {

    /** The object, by namespace ("" for cluster-scoped kinds) and name. */
    Optional<ObjectNode> get(String namespace, String name);

    /** Every object held. */
    List<ObjectNode> list();

    /** The objects an index maps this value to (see {@link Indexes}); empty for an unknown index. */
    List<ObjectNode> byIndex(String index, String value);

    /** The cache key of an object: "namespace/name", or "name" for cluster-scoped objects. */
    static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The cache key of an object. */
    static String key(ObjectNode object) {
        return key(object.path("metadata").path("namespace").asText(""), object.path("metadata").path("name").asText());
    }
}
