package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.capstan.api.Json;
import io.capstan.controllers.OwnerRefs;

/**
 * The ownerReferences persistentVolumeClaimRetentionPolicy asks of a claim, so that the garbage
 * collector removes it at the right moment: Delete on whenDeleted makes the StatefulSet its owner;
 * Delete on whenScaled makes a scaled-down pod its owner (the claim goes with that pod). Retain
 * removes what the controller had set. A claim controlled by something else is left alone.
 */
final class ClaimOwners {

    private ClaimOwners() {}

    /** The claim's owner references as the policy wants them for this pod. */
    static ArrayNode desired(JsonNode claim, JsonNode set, JsonNode pod, boolean scaledDown) {
        String setUid = set.path("metadata").path("uid").asText();
        String podUid = pod.path("metadata").path("uid").asText("");
        boolean deleteWithSet = policy(set, "whenDeleted").equals("Delete");
        boolean deleteWhenScaled = policy(set, "whenScaled").equals("Delete");
        boolean podOwns = deleteWhenScaled && scaledDown && !podUid.isEmpty();
        boolean setOwns = deleteWithSet && !podOwns;
        ArrayNode refs = Json.array();
        for (JsonNode r : claim.path("metadata").path("ownerReferences")) {
            String uid = r.path("uid").asText();
            if (!uid.equals(setUid) && !uid.equals(podUid)) {
                refs.add(r);
            }
        }
        if (setOwns) {
            refs.add(ref(set));
        }
        if (podOwns) {
            refs.add(ref(pod));
        }
        return refs;
    }

    /** Whether the claim is controlled by an object other than the set, which the policy must not override. */
    static boolean foreignController(JsonNode claim, JsonNode set) {
        String controller = OwnerRefs.controllerUid(claim);
        return controller != null && !controller.equals(set.path("metadata").path("uid").asText());
    }

    static String policy(JsonNode set, String field) {
        return set.path("spec").path("persistentVolumeClaimRetentionPolicy").path(field).asText("Retain");
    }

    private static JsonNode ref(JsonNode owner) {
        return Json.object().put("apiVersion", owner.path("apiVersion").asText()).put("kind", owner.path("kind").asText())
                .put("name", owner.path("metadata").path("name").asText())
                .put("uid", owner.path("metadata").path("uid").asText());
    }
}
