package io.capstan.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.schema.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths, as a tree: the members end at this node, the children lead further.
 * A path can be both a member and a parent (FieldsV1 writes that as {@code ".": {}}).
 */
public final class FieldSet {

    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    public static FieldSet of(List<List<PathElement>> paths) {
        FieldSet s = new FieldSet();
        paths.forEach(s::insert);
        return s;
    }

    public void insert(List<PathElement> path) {
        if (path.isEmpty()) {
            return;
        }
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        }
        node.members.add(path.getLast());
    }

    public boolean has(List<PathElement> path) {
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.get(path.get(i));
            if (node == null) {
                return false;
            }
        }
        return !path.isEmpty() && node.members.contains(path.getLast());
    }

    public boolean isEmpty() {
        return members.isEmpty() && children.values().stream().allMatch(FieldSet::isEmpty);
    }

    boolean hasMember(PathElement pe) {
        return members.contains(pe);
    }

    /** The paths below {@code pe}, or null. */
    FieldSet child(PathElement pe) {
        FieldSet c = children.get(pe);
        return c == null || c.isEmpty() ? null : c;
    }

    public FieldSet union(FieldSet o) {
        FieldSet out = copy();
        out.members.addAll(o.members);
        o.children.forEach((pe, c) -> out.children.merge(pe, c.copy(), FieldSet::union));
        return out;
    }

    public FieldSet difference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (!o.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((pe, c) -> {
            FieldSet other = o.children.get(pe);
            FieldSet d = other == null ? c.copy() : c.difference(other);
            if (!d.isEmpty()) {
                out.children.put(pe, d);
            }
        });
        return out;
    }

    public FieldSet intersection(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (o.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((pe, c) -> {
            FieldSet other = o.children.get(pe);
            if (other != null) {
                FieldSet i = c.intersection(other);
                if (!i.isEmpty()) {
                    out.children.put(pe, i);
                }
            }
        });
        return out;
    }

    /** A copy without {@code pe} and everything below it. */
    FieldSet without(PathElement pe) {
        FieldSet out = copy();
        out.members.remove(pe);
        out.children.remove(pe);
        return out;
    }

    private FieldSet copy() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((pe, c) -> out.children.put(pe, c.copy()));
        return out;
    }

    /** A copy where every declared struct field with paths below it is a member too (EnsureNamedFieldsAreMembers). */
    FieldSet withNamedFieldsAsMembers(Shape shape) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((pe, c) -> {
            Shape child = Shape.UNTYPED;
            if (pe instanceof PathElement.Field f) {
                child = shape.field(f.name());
                if (shape.declares(f.name()) && !c.isEmpty()) {
                    out.members.add(pe);
                }
            } else if (shape.kind() == Shape.Kind.LIST) {
                child = shape.element();
            }
            out.children.put(pe, c.withNamedFieldsAsMembers(child));
        });
        return out;
    }

    /** Every member path, in order. */
    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        walk(new ArrayList<>(), out::add);
        return out;
    }

    private void walk(List<PathElement> prefix, Consumer<List<PathElement>> sink) {
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement pe : all) {
            prefix.add(pe);
            if (members.contains(pe)) {
                sink.accept(List.copyOf(prefix));
            }
            FieldSet c = children.get(pe);
            if (c != null) {
                c.walk(prefix, sink);
            }
            prefix.removeLast();
        }
    }

    /** The FieldsV1 JSON of this set. */
    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        TreeSet<PathElement> all = new TreeSet<>(members);
        children.forEach((pe, c) -> {
            if (!c.isEmpty()) {
                all.add(pe);
            }
        });
        for (PathElement pe : all) {
            FieldSet c = children.get(pe);
            ObjectNode node = c == null || c.isEmpty() ? Json.object() : c.toJson();
            if (c != null && !c.isEmpty() && members.contains(pe)) {
                ObjectNode withSelf = Json.object();
                withSelf.putObject(".");
                withSelf.setAll(node);
                node = withSelf;
            }
            out.set(pe.serialize(), node);
        }
        return out;
    }

    /** Reads FieldsV1 JSON. */
    public static FieldSet fromJson(JsonNode json) {
        FieldSet s = new FieldSet();
        if (json == null || !json.isObject()) {
            return s;
        }
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            if (e.getKey().equals(".")) {
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            JsonNode v = e.getValue();
            if (v.isEmpty() || v.has(".")) {
                s.members.add(pe);
            }
            FieldSet c = fromJson(v);
            if (!c.isEmpty()) {
                s.children.put(pe, c);
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && paths().equals(s.paths());
    }

    @Override
    public int hashCode() {
        return paths().hashCode();
    }

    @Override
    public String toString() {
        return Json.string(toJson());
    }
}
