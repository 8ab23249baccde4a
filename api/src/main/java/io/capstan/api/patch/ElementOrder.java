package io.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.schema.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code $setElementOrder/<list>} directive: the list is merged as usual, then ordered by the
 * directive first, the patch second and the original last (kubectl apply sends it to keep the
 * order of the manifest).
 */
final class ElementOrder {

    private ElementOrder() {}

    static void apply(ObjectNode original, ObjectNode patch, Shape shape) {
        List<String> directives = new ArrayList<>();
        patch.fieldNames().forEachRemaining(k -> {
            if (k.startsWith(StrategicMergePatch.SET_ELEMENT_ORDER)) {
                directives.add(k);
            }
        });
        for (String directive : directives) {
            JsonNode order = patch.remove(directive);
            String key = directive.substring(StrategicMergePatch.SET_ELEMENT_ORDER.length());
            if (!order.isArray() || key.isEmpty()) {
                throw Errors.badRequest(Errors.BAD_SET_ELEMENT_ORDER);
            }
            JsonNode originalList = original.get(key);
            JsonNode patchList = patch.get(key);
            boolean inOriginal = originalList != null && !originalList.isNull();
            boolean inPatch = patchList != null && !patchList.isNull();
            if ((inOriginal && !originalList.isArray()) || (inPatch && !patchList.isArray())) {
                throw Errors.badRequest(Errors.BAD_SET_ELEMENT_ORDER);
            }
            Shape listShape = shape.field(key);
            ArrayNode origArray = inOriginal ? (ArrayNode) originalList : Json.array();
            ArrayNode patchArray = inPatch ? (ArrayNode) patchList : Json.array();
            JsonNodeType kind = Lists.elementKind(origArray, patchArray);
            String mergeKey = kind == JsonNodeType.OBJECT ? listShape.mergeKey() : null;
            validate(patchArray, (ArrayNode) order, mergeKey);
            ArrayNode merged;
            if (inOriginal && !inPatch) {
                merged = origArray;
            } else if (!inOriginal && inPatch) {
                merged = (ArrayNode) Directives.strip(patchArray);
            } else if (inOriginal) {
                merged = listShape.strategies().contains("merge")
                        ? Lists.merge(origArray, patchArray, listShape, false) : patchArray;
            } else {
                continue;
            }
            List<JsonNode> orderItems = Lists.items((ArrayNode) order);
            List<JsonNode> fromOrder = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            for (JsonNode m : merged) {
                if (mergeKey != null && !m.has(mergeKey)) {
                    throw Errors.noMergeKey(m, mergeKey);
                }
                (Lists.indexOf(orderItems, m, mergeKey) >= 0 ? fromOrder : serverOnly).add(m);
            }
            original.set(key, Lists.array(Lists.order(fromOrder, serverOnly, orderItems, Lists.items(origArray), mergeKey)));
            patch.remove(key);
        }
    }

    /** The patch list must be in the directive's order and contain nothing it does not name (deletions aside). */
    private static void validate(ArrayNode patchList, ArrayNode order, String mergeKey) {
        if (order.isEmpty() || patchList.isEmpty()) {
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode p : patchList) {
            if (mergeKey == null || !"delete".equals(p.path(StrategicMergePatch.PATCH).asText())) {
                items.add(p);
            }
        }
        int pi = 0;
        int oi = 0;
        while (pi < items.size() && oi < order.size()) {
            JsonNode p = items.get(pi);
            if (p.isObject() && p.has(StrategicMergePatch.PATCH)) {
                pi++;
                continue;
            }
            boolean equal;
            if (mergeKey == null) {
                equal = Lists.same(p, order.get(oi));
            } else {
                if (!p.has(mergeKey)) {
                    throw Errors.noMergeKey(p, mergeKey);
                }
                if (!order.get(oi).has(mergeKey)) {
                    throw Errors.noMergeKey(order.get(oi), mergeKey);
                }
                equal = Lists.same(p.get(mergeKey), order.get(oi).get(mergeKey));
            }
            if (equal) {
                pi++;
            }
            oi++;
        }
        if (pi < items.size()) {
            throw Errors.internal("The order in patch list:\n" + Errors.goMap(patchList) + "\n doesn't match "
                    + "$setElementOrder list:\n" + Errors.goMap(order) + "\n");
        }
    }
}
