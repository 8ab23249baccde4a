package io.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.schema.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Merging of lists with patch strategy "merge": maps by their merge key, scalars as sets, in Kubernetes' order. */
final class Lists {

    private Lists() {}

    /** mergeSlice: the merged list, ordered as the patch and then the original say. */
    static ArrayNode merge(ArrayNode original, ArrayNode patch, Shape shape, boolean deleteList) {
        if (original.isEmpty() && patch.isEmpty()) {
            return original;
        }
        JsonNodeType kind = elementKind(original, patch);
        String mergeKey = kind == JsonNodeType.OBJECT ? shape.mergeKey() : null;
        List<JsonNode> orig = items(original);
        List<JsonNode> patchItems = items(patch);
        List<JsonNode> merged;
        if (kind != JsonNodeType.OBJECT) {
            if (deleteList) {
                return array(orig.stream().filter(o -> patchItems.stream().noneMatch(p -> same(o, p))).toList());
            }
            merged = new ArrayList<>();
            for (JsonNode n : orig) {
                addUnique(merged, n);
            }
            for (JsonNode n : patchItems) {
                addUnique(merged, n);
            }
        } else {
            if (mergeKey == null) {
                throw Errors.internal("cannot merge lists without merge key for " + shape.kind());
            }
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            for (JsonNode p : patchItems) {
                JsonNode directive = p.get(StrategicMergePatch.PATCH);
                if (directive == null) {
                    plain.add(p);
                    continue;
                }
                switch (directive.asText()) {
                    case "delete" -> {
                        JsonNode value = p.get(mergeKey);
                        if (value == null) {
                            throw Errors.noMergeKey(p, mergeKey);
                        }
                        orig = orig.stream().filter(o -> !same(o.get(mergeKey), value)).toList();
                    }
                    case "replace" -> replace = true;
                    case "merge" -> throw Errors.internal("merging lists cannot yet be specified in the patch");
                    default -> throw Errors.internal("unknown patch type: " + directive.asText() + " in map: " + Errors.goMap(p));
                }
            }
            if (replace) {
                orig = plain;
                plain = List.of();
            }
            patchItems.clear();
            patchItems.addAll(plain);
            merged = new ArrayList<>(orig);
            for (JsonNode p : plain) {
                JsonNode value = p.get(mergeKey);
                if (value == null) {
                    throw Errors.noMergeKey(p, mergeKey);
                }
                int at = indexOf(merged, p, mergeKey);
                if (at >= 0) {
                    merged.set(at, StrategicMergePatch.mergeMap((ObjectNode) merged.get(at).deepCopy(), (ObjectNode) p, shape.element()));
                } else {
                    merged.add(Directives.strip(Directives.dropNulls(p)));
                }
            }
        }
        List<JsonNode> fromPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode m : merged) {
            (indexOf(patchItems, m, mergeKey) >= 0 ? fromPatch : serverOnly).add(m);
        }
        return array(order(fromPatch, serverOnly, patchItems, orig, mergeKey));
    }

    /**
     * normalizeElementOrder: patch items sorted by {@code patchOrder}, server-only items by the
     * original list, then interleaved, server items going first only where the original order says so.
     */
    static List<JsonNode> order(List<JsonNode> fromPatch, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
                                List<JsonNode> serverOrder, String mergeKey) {
        List<JsonNode> right = sortBy(fromPatch, patchOrder, mergeKey);
        List<JsonNode> left = sortBy(serverOnly, serverOrder, mergeKey);
        List<JsonNode> out = new ArrayList<>(left.size() + right.size());
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            if (i >= left.size()) {
                out.add(right.get(j++));
            } else if (j >= right.size()) {
                out.add(left.get(i++));
            } else {
                int li = indexOf(serverOrder, left.get(i), mergeKey);
                int ri = indexOf(serverOrder, right.get(j), mergeKey);
                if (li >= 0 && ri >= 0 && li < ri) {
                    out.add(left.get(i++));
                } else {
                    out.add(right.get(j++));
                }
            }
        }
        return out;
    }

    private static List<JsonNode> sortBy(List<JsonNode> items, List<JsonNode> order, String mergeKey) {
        if (mergeKey != null) {
            for (JsonNode n : items) {
                if (!n.has(mergeKey)) {
                    throw Errors.noMergeKey(n, mergeKey);
                }
            }
        }
        List<JsonNode> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt(n -> {
            int at = indexOf(order, n, mergeKey);
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return sorted;
    }

    /** Index of the item with the same merge key value (or the same value, for scalars), or -1. */
    static int indexOf(List<JsonNode> list, JsonNode item, String mergeKey) {
        JsonNode wanted = mergeKey == null ? item : item.get(mergeKey);
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
            if (wanted != null && same(candidate, wanted)) {
                return i;
            }
        }
        return -1;
    }

    /** JSON equality where 80 and 80.0 are the same number, as they are once Go decodes them. */
    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    /** The one kind of the elements of both lists; lists of lists are refused. */
    static JsonNodeType elementKind(ArrayNode a, ArrayNode b) {
        JsonNodeType kind = null;
        for (ArrayNode list : List.of(a, b)) {
            for (JsonNode n : list) {
                if (n.isArray()) {
                    throw Errors.listOfLists();
                }
                JsonNodeType t = n.isObject() ? JsonNodeType.OBJECT : n.getNodeType();
                if (kind != null && kind != t && (kind == JsonNodeType.OBJECT || t == JsonNodeType.OBJECT)) {
                    throw Errors.internal("list element type is not homogeneous");
                }
                kind = t;
            }
        }
        return kind;
    }

    private static void addUnique(List<JsonNode> list, JsonNode n) {
        if (list.stream().noneMatch(x -> same(x, n))) {
            list.add(n);
        }
    }

    static List<JsonNode> items(ArrayNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }

    static ArrayNode array(List<JsonNode> items) {
        ArrayNode out = Json.array();
        items.forEach(out::add);
        return out;
    }
}
