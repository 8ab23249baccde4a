package io.capstan.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path as structured-merge-diff names it: a field ({@code f:name}), a map-list
 * item by its keys ({@code k:{"name":"c"}}), a set item by value ({@code v:"x"}) or a list index
 * ({@code i:0}). Ordered as Kubernetes orders them, which fixes the order of managedFields JSON.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** A field of a map or struct. */
    record Field(String name) implements PathElement {}

    /** An item of a map list, named by its key fields in name order. */
    record Key(List<Map.Entry<String, JsonNode>> fields) implements PathElement {}

    /** An item of a set of scalars. */
    record Value(JsonNode value) implements PathElement {}

    /** An item of a list by position. */
    record Index(int index) implements PathElement {}

    static Field field(String name) {
        return new Field(name);
    }

    /** The key element of a map-list item, key fields sorted by name. */
    static Key key(List<Map.Entry<String, JsonNode>> fields) {
        List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(fields);
        sorted.sort(Map.Entry.comparingByKey());
        return new Key(List.copyOf(sorted));
    }

    private int rank() {
        return switch (this) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }

    @Override
    default int compareTo(PathElement o) {
        int r = Integer.compare(rank(), o.rank());
        if (r != 0) {
            return r;
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) o).name());
            case Key k -> compareKeys(k.fields(), ((Key) o).fields());
            case Value v -> Values.compare(v.value(), ((Value) o).value());
            case Index i -> Integer.compare(i.index(), ((Index) o).index());
        };
    }

    private static int compareKeys(List<Map.Entry<String, JsonNode>> a, List<Map.Entry<String, JsonNode>> b) {
        for (int i = 0; ; i++) {
            if (i >= a.size() || i >= b.size()) {
                return Integer.compare(a.size(), b.size());
            }
            int c = a.get(i).getKey().compareTo(b.get(i).getKey());
            if (c == 0) {
                c = Values.compare(a.get(i).getValue(), b.get(i).getValue());
            }
            if (c != 0) {
                return c;
            }
        }
    }

    /** The managedFields form: f:name, k:{...}, v:..., i:N. */
    default String serialize() {
        return switch (this) {
            case Field f -> "f:" + f.name();
            case Key k -> {
                ObjectNode o = Json.object();
                k.fields().forEach(e -> o.set(e.getKey(), e.getValue()));
                yield "k:" + Json.string(o);
            }
            case Value v -> "v:" + Json.string(v.value());
            case Index i -> "i:" + i.index();
        };
    }

    /** Reads the managedFields form. */
    static PathElement parse(String s) {
        if (s.length() < 2 || s.charAt(1) != ':') {
            throw new IllegalArgumentException("bad path element " + s);
        }
        String rest = s.substring(2);
        try {
            return switch (s.charAt(0)) {
                case 'f' -> new Field(rest);
                case 'v' -> new Value(Json.MAPPER.readTree(rest));
                case 'i' -> new Index(Integer.parseInt(rest));
                case 'k' -> {
                    JsonNode o = Json.MAPPER.readTree(rest);
                    if (!o.isObject()) {
                        throw new IllegalArgumentException("bad key " + s);
                    }
                    yield key(o.properties().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
                }
                default -> throw new IllegalArgumentException("unknown path element type " + s);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a conflict names it: .name, [name="c"], [="x"], [0]. */
    default String display() {
        return switch (this) {
            case Field f -> "." + f.name();
            case Key k -> "[" + String.join(",", k.fields().stream()
                    .map(e -> e.getKey() + "=" + Values.display(e.getValue())).toList()) + "]";
            case Value v -> "[=" + Values.display(v.value()) + "]";
            case Index i -> "[" + i.index() + "]";
        };
    }

    /** Orders paths element by element. */
    Comparator<List<PathElement>> PATH_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

}
