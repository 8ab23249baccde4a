package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.store.KeyValue;
import io.capstan.store.Store;

/**
 * The DefaultStorageClass admission plugin on claim create: a claim that names no class (neither
 * spec.storageClassName nor the beta annotation; an explicit "" is a choice of none) gets the
 * default class: the one annotated is-default-class "true", the newest if several are, then by name.
 */
final class DefaultStorageClass {

    private DefaultStorageClass() {}

    static void admit(ObjectNode claim, Store store) {
        JsonNode spec = claim.get("spec");
        if (spec instanceof ObjectNode s && s.hasNonNull("storageClassName")
                || claim.path("metadata").path("annotations").has(PersistentVolumes.BETA_STORAGE_CLASS)) {
            return;
        }
        JsonNode chosen = null;
        for (KeyValue kv : store.range(Keys.prefix(Kinds.STORAGE_CLASSES, ""), null, 0, 0).items()) {
            ObjectNode sc = ObjectCodec.decode(kv);
            if (isDefault(sc) && (chosen == null || newer(sc, chosen))) {
                chosen = sc;
            }
        }
        if (chosen != null) {
            Json.with(claim, "spec").put("storageClassName", Json.text(chosen, "metadata", "name"));
        }
    }

    private static boolean isDefault(JsonNode sc) {
        return "true".equals(PersistentVolumes.annotation(sc, PersistentVolumes.DEFAULT_CLASS))
                || "true".equals(PersistentVolumes.annotation(sc, PersistentVolumes.BETA_DEFAULT_CLASS));
    }

    /** RFC 3339 timestamps sort as text; among equals the name first in order wins. */
    private static boolean newer(JsonNode a, JsonNode b) {
        int byTime = Json.text(a, "metadata", "creationTimestamp").compareTo(Json.text(b, "metadata", "creationTimestamp"));
        return byTime > 0 || byTime == 0 && Json.text(a, "metadata", "name").compareTo(Json.text(b, "metadata", "name")) < 0;
    }
}
