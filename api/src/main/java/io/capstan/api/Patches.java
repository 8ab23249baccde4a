package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import com.flipkart.zjsonpatch.InvalidJsonPatchException;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;

/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902) on object trees. */
public final class Patches {

    private Patches() {}

    /** Applies a merge patch to a copy of target: null deletes, objects merge, everything else replaces. */
    public static ObjectNode mergePatch(ObjectNode target, JsonNode patch) {
        if (!patch.isObject()) {
            throw StatusException.badRequest("the merge patch must be a JSON object");
        }
        return (ObjectNode) merge(target.deepCopy(), patch);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isNull()) {
                result.remove(f.getKey());
            } else {
                result.set(f.getKey(), merge(result.get(f.getKey()), f.getValue()));
            }
        }
        return result;
    }

    /** Applies a JSON patch; a malformed patch is a 400 and one that does not apply (bad path, failed test) a 422, as kube-apiserver answers. */
    public static ObjectNode jsonPatch(ObjectNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw StatusException.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        try {
            // Removing a missing key fails in Kubernetes (evanphx/json-patch); zjsonpatch ignores it unless told.
            JsonNode result = JsonPatch.apply(patch, target, EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT));
            if (!result.isObject()) {
                throw StatusException.badRequest("the patch turned the object into something that is not an object");
            }
            return (ObjectNode) result;
        } catch (InvalidJsonPatchException e) {
            throw StatusException.badRequest("the JSON patch is invalid: " + e.getMessage());
        } catch (JsonPatchApplicationException e) {
            throw new StatusException(422, "Invalid", "the server rejected our request due to an error in our request",
                    null, null, null, java.util.List.of(FieldError.invalid("", null, e.getMessage())), 0);
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest("the JSON patch is invalid: " + e.getMessage());
        }
    }
}
