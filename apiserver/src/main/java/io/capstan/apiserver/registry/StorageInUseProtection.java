package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/**
 * The StorageObjectInUseProtection admission plugin: every new claim gets the pvc-protection
 * finalizer and every new volume the pv-protection one, which the protection controllers take
 * off once no pod uses the claim, or the volume is no longer bound.
 */
final class StorageInUseProtection {

    private StorageInUseProtection() {}

    /** Adds the finalizer (PersistentVolumes.PVC_PROTECTION or PV_PROTECTION) unless the object has it. */
    static void admit(ObjectNode obj, String finalizer) {
        ObjectNode meta = Json.with(obj, "metadata");
        JsonNode existing = meta.get("finalizers");
        ArrayNode finalizers = existing instanceof ArrayNode a ? a : meta.putArray("finalizers");
        for (JsonNode f : finalizers) {
            if (f.asText().equals(finalizer)) {
                return;
            }
        }
        finalizers.add(finalizer);
    }
}
