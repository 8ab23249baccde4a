package io.capstan.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.api.schema.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The walks server-side apply makes over objects with their shape: the set of fields an object
 * sets, the fields two objects differ in, the merge of an applied configuration into an object,
 * and the removal of fields. Lists merge by key or as sets where the shape says so, else whole.
 */
final class TypedValues {

    /**
     * Fields Go's zero values make present in every object (structs that are not pointers, lists
     * without omitempty), so adding them adds no field of their own, as in Kubernetes' managedFields.
     */
    private static final Set<String> ALWAYS_PRESENT = Set.of("metadata", "spec", "status", "template", "strategy",
            "updateStrategy", "containers");

    private TypedValues() {}

    /** The fields a value sets (ToFieldSet). */
    static FieldSet fieldsOf(JsonNode value, Shape shape) {
        FieldSet set = new FieldSet();
        collect(value, shape, new ArrayList<>(), set);
        return set;
    }

    private static void collect(JsonNode v, Shape shape, List<PathElement> path, FieldSet set) {
        if (v.isArray()) {
            if (atomicList(shape)) {
                set.insert(path);
                return;
            }
            Set<PathElement> seen = new LinkedHashSet<>();
            for (JsonNode item : v) {
                PathElement pe = element(shape, item);
                if (!seen.add(pe)) {
                    continue;
                }
                path.add(pe);
                collect(item, shape.element(), path, set);
                set.insert(path);
                path.removeLast();
            }
        } else if (v.isObject()) {
            if (atomicMap(shape)) {
                set.insert(path);
                return;
            }
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                path.add(PathElement.field(e.getKey()));
                JsonNode child = e.getValue();
                collect(child, shape.field(e.getKey()), path, set);
                if (child.isNull() || (child.isObject() && child.isEmpty()) || !shape.declares(e.getKey())) {
                    set.insert(path);
                }
                path.removeLast();
            }
        } else {
            set.insert(path);
        }
    }

    /** The fields {@code rhs} added, changed and removed relative to {@code lhs} (Compare). */
    record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        FieldSet changed() {
            return added.union(modified);
        }
    }

    static Comparison compare(JsonNode lhs, JsonNode rhs, Shape shape) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        compare(lhs, rhs, shape, new ArrayList<>(), c, "");
        return c;
    }

    private static void compare(JsonNode l, JsonNode r, Shape shape, List<PathElement> path, Comparison c, String fieldName) {
        l = absentIfNull(l);
        r = absentIfNull(r);
        if (l == null && r == null) {
            return;
        }
        JsonNode any = r != null ? r : l;
        boolean sameKind = l == null || r == null || l.getNodeType() == r.getNodeType();
        boolean bothEmpty = (l == null || l.isEmpty()) && (r == null || r.isEmpty());
        boolean leaf = !sameKind || !(any.isArray() || any.isObject())
                || (any.isArray() && (atomicList(shape) || bothEmpty))
                || (any.isObject() && (atomicMap(shape) || bothEmpty));
        if (leaf) {
            if (l == null) {
                c.added().insert(path);
            } else if (r == null) {
                c.removed().insert(path);
            } else if (!Values.equal(l, r)) {
                c.modified().insert(path);
            }
            return;
        }
        if (any.isArray()) {
            Map<PathElement, JsonNode> left = index(l, shape);
            Map<PathElement, JsonNode> right = index(r, shape);
            Set<PathElement> all = new LinkedHashSet<>(left.keySet());
            all.addAll(right.keySet());
            for (PathElement pe : all) {
                path.add(pe);
                compare(left.get(pe), right.get(pe), shape.element(), path, c, "");
                path.removeLast();
            }
        } else {
            Set<String> keys = new LinkedHashSet<>();
            if (l != null) {
                l.fieldNames().forEachRemaining(keys::add);
            }
            if (r != null) {
                r.fieldNames().forEachRemaining(keys::add);
            }
            for (String k : keys) {
                path.add(PathElement.field(k));
                compare(l == null ? null : l.get(k), r == null ? null : r.get(k), shape.field(k), path, c, k);
                path.removeLast();
            }
        }
        boolean implicit = ALWAYS_PRESENT.contains(fieldName)
                && ((any.isObject() && shape.kind() == Shape.Kind.STRUCT) || (any.isArray() && shape.kind() == Shape.Kind.LIST));
        if (!implicit && !path.isEmpty()) {
            if (l == null) {
                c.added().insert(path);
            } else if (r == null) {
                c.removed().insert(path);
            }
        }
    }

    /** The object with the applied configuration merged in: the configuration wins, list items merge by key. */
    static JsonNode merge(JsonNode l, JsonNode r, Shape shape) {
        l = absentIfNull(l);
        if (r == null) {
            return l;
        }
        if (l == null || r.isNull() || l.getNodeType() != r.getNodeType() || !(r.isArray() || r.isObject())) {
            return r.deepCopy();
        }
        if (r.isArray()) {
            if (atomicList(shape) || (l.isEmpty() && r.isEmpty())) {
                return r.deepCopy();
            }
            return mergeList((ArrayNode) l, (ArrayNode) r, shape);
        }
        if (atomicMap(shape) || (l.isEmpty() && r.isEmpty())) {
            return r.deepCopy();
        }
        ObjectNode out = Json.object();
        Set<String> keys = new LinkedHashSet<>();
        l.fieldNames().forEachRemaining(keys::add);
        r.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode m = merge(l.get(k), r.get(k), shape.field(k));
            if (m != null && !m.isNull()) {
                out.set(k, m);
            }
        }
        return out;
    }

    /** Items of both, in an order that keeps the applied order where it can (structured-merge-diff's visitListItems). */
    private static JsonNode mergeList(ArrayNode lhs, ArrayNode rhs, Shape shape) {
        Map<PathElement, JsonNode> left = index(lhs, shape);
        Map<PathElement, JsonNode> right = index(rhs, shape);
        List<PathElement> lpes = new ArrayList<>(left.keySet());
        List<PathElement> rpes = new ArrayList<>(right.keySet());
        List<PathElement> shared = new ArrayList<>(rpes.stream().filter(left::containsKey).toList());
        PathElement nextShared = shared.isEmpty() ? null : shared.removeFirst();
        Set<PathElement> mergedRight = new LinkedHashSet<>();
        ArrayNode out = Json.array();
        Shape element = shape.element();
        int li = 0;
        int ri = 0;
        while (li < lpes.size() || ri < rpes.size()) {
            if (li < lpes.size() && ri < rpes.size()) {
                PathElement pe = lpes.get(li);
                if (pe.equals(rpes.get(ri)) || pe.compareTo(rpes.get(ri)) == 0) {
                    mergedRight.add(pe);
                    out.add(merge(left.get(pe), right.get(pe), element));
                    li++;
                    ri++;
                    nextShared = shared.isEmpty() ? null : shared.removeFirst();
                    continue;
                }
                if (right.containsKey(pe) && nextShared != null && nextShared.compareTo(pe) != 0) {
                    li++;
                    continue;
                }
            }
            if (li < lpes.size()) {
                PathElement pe = lpes.get(li);
                if (!right.containsKey(pe)) {
                    out.add(left.get(pe));
                    li++;
                    continue;
                } else if (mergedRight.contains(pe)) {
                    li++;
                }
            }
            if (ri < rpes.size()) {
                PathElement pe = rpes.get(ri);
                mergedRight.add(pe);
                out.add(merge(left.get(pe), right.get(pe), element));
                ri++;
                if (nextShared != null && nextShared.compareTo(pe) == 0) {
                    nextShared = shared.isEmpty() ? null : shared.removeFirst();
                }
            }
        }
        return out;
    }

    /** The value without the fields in {@code set} (RemoveItems); null when nothing is left of a map or list. */
    static JsonNode remove(JsonNode v, FieldSet set, Shape shape) {
        if (v.isArray()) {
            if (v.isEmpty() || atomicList(shape)) {
                return v;
            }
            ArrayNode out = Json.array();
            for (JsonNode item : v) {
                PathElement pe = element(shape, item);
                if (set.hasMember(pe)) {
                    continue;
                }
                FieldSet below = set.child(pe);
                JsonNode kept = below == null ? item : remove(item, below, shape.element());
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (v.isObject()) {
            if (v.isEmpty() || atomicMap(shape)) {
                return v;
            }
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                PathElement pe = PathElement.field(e.getKey());
                if (set.hasMember(pe)) {
                    continue;
                }
                FieldSet below = set.child(pe);
                JsonNode kept = below == null ? e.getValue() : remove(e.getValue(), below, shape.field(e.getKey()));
                if (kept != null) {
                    out.set(e.getKey(), kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return v;
    }

    /** The items of a list by their path element; the first of duplicates wins. */
    private static Map<PathElement, JsonNode> index(JsonNode list, Shape shape) {
        Map<PathElement, JsonNode> out = new LinkedHashMap<>();
        if (list != null) {
            for (JsonNode item : list) {
                out.putIfAbsent(element(shape, item), item);
            }
        }
        return out;
    }

    /** The path element of a list item: its keys for a map list, its value for a set. */
    static PathElement element(Shape list, JsonNode item) {
        if (list.listType() == Shape.ListType.SET) {
            if (item.isObject() || item.isArray() || item.isNull()) {
                throw StatusException.internal("associative list without keys has an element that's a map type");
            }
            return new PathElement.Value(item);
        }
        if (!item.isObject()) {
            throw StatusException.badRequest("associative list with keys may not have non-map elements");
        }
        List<Map.Entry<String, JsonNode>> keys = new ArrayList<>();
        for (String k : list.keys()) {
            JsonNode value = item.get(k);
            if (value != null && !value.isNull()) {
                keys.add(Map.entry(k, value));
            } else if (list.keyDefaults().containsKey(k)) {
                keys.add(Map.entry(k, Json.MAPPER.getNodeFactory().textNode(list.keyDefaults().get(k))));
            }
        }
        if (keys.isEmpty()) {
            throw StatusException.badRequest("associative list with keys has an element that omits all key fields "
                    + list.keys().stream().map(k -> "\"" + k + "\"").toList().toString().replace(", ", " ")
                    + " (and doesn't have default values for any key fields)");
        }
        return PathElement.key(keys);
    }

    private static boolean atomicList(Shape shape) {
        return shape.kind() != Shape.Kind.LIST || shape.atomic();
    }

    private static boolean atomicMap(Shape shape) {
        return (shape.kind() == Shape.Kind.MAP || shape.kind() == Shape.Kind.STRUCT) && shape.atomic();
    }

    private static JsonNode absentIfNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }
}
