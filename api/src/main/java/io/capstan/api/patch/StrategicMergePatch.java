package io.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.api.schema.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) as kube-apiserver applies it:
 * maps merge, lists merge by their merge key or as sets where the schema says so and are replaced
 * otherwise, null deletes, and the directives {@code $patch}, {@code $retainKeys},
 * {@code $setElementOrder/<list>} and {@code $deleteFromPrimitiveList/<list>} steer the rest.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private StrategicMergePatch() {}

    /** Applies {@code patch} to a copy of {@code original}, whose schema is {@code shape}. */
    public static ObjectNode apply(ObjectNode original, JsonNode patch, Shape shape) {
        if (!patch.isObject()) {
            throw StatusException.badRequest("invalid JSON document");
        }
        return mergeMap(original.deepCopy(), (ObjectNode) patch.deepCopy(), shape);
    }

    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Shape shape) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            patch.remove(PATCH);
            return switch (directive.asText()) {
                case "replace" -> (ObjectNode) Directives.strip(patch);
                case "delete" -> Json.object();
                default -> throw Errors.internal("unknown patch type: " + directive.asText() + " in map: " + Errors.goMap(patch));
            };
        }
        retainKeys(original, patch);
        ElementOrder.apply(original, patch, shape);
        for (String key : new ArrayList<>(fieldNames(patch))) {
            JsonNode patchValue = patch.get(key);
            boolean deleteList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
            if (deleteList) {
                key = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
            }
            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode current = original.get(key);
            if (current == null || current.isNull() || current.getNodeType() != patchValue.getNodeType()) {
                if (!deleteList) {
                    set(original, key, Directives.strip(Directives.dropNulls(patchValue)));
                }
                continue;
            }
            Shape child = shape.field(key);
            if (patchValue.isObject()) {
                if (child.strategies().contains("replace")) {
                    original.set(key, patchValue);
                } else {
                    original.set(key, mergeMap((ObjectNode) current, (ObjectNode) patchValue, child));
                }
            } else if (patchValue.isArray()) {
                if (child.strategies().contains("merge") || deleteList) {
                    original.set(key, Lists.merge((ArrayNode) current, (ArrayNode) patchValue, child, deleteList));
                } else {
                    original.set(key, patchValue);
                }
            } else {
                set(original, key, Directives.strip(patchValue));
            }
        }
        return original;
    }

    /** Sets a value unless it was itself a directive (then the key goes). */
    private static void set(ObjectNode target, String key, JsonNode value) {
        if (value == null) {
            target.remove(key);
        } else {
            target.set(key, value);
        }
    }

    /** {@code $retainKeys}: keys of the original not listed go; the patch may only set listed keys. */
    private static void retainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw Errors.badRequest(Errors.BAD_RETAIN_KEYS);
        }
        Set<String> keep = new HashSet<>();
        retain.forEach(k -> keep.add(k.asText()));
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (!e.getValue().isNull() && !k.startsWith(DELETE_FROM_PRIMITIVE_LIST) && !k.startsWith(SET_ELEMENT_ORDER)
                    && !keep.contains(k)) {
                throw Errors.badRequest(Errors.BAD_RETAIN_KEYS);
            }
        }
        original.properties().removeIf(e -> !keep.contains(e.getKey()));
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
