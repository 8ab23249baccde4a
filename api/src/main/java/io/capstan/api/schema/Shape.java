package io.capstan.api.schema;

import com.fasterxml.jackson.databind.JavaType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What patches and apply know about one place in an object: what it is and, for lists and maps,
 * how it merges. Children are resolved lazily, since types nest recursively.
 */
public final class Shape {

    /** What a place holds. UNTYPED is anything without a schema (custom resources, unknown fields). */
    public enum Kind { SCALAR, STRUCT, MAP, LIST, UNTYPED }

    /** How server-side apply treats a list: as one value, as a set of scalars, or as a map keyed by fields. */
    public enum ListType { ATOMIC, SET, MAP }

    /** Anything without a schema: maps merge by key, lists are atomic. */
    public static final Shape UNTYPED = new Shape(null, null, Kind.UNTYPED, FieldRule.NONE);

    private final Shapes owner;
    private final JavaType type;
    private final Kind kind;
    private final FieldRule rule;

    Shape(Shapes owner, JavaType type, Kind kind, FieldRule rule) {
        this.owner = owner;
        this.type = type;
        this.kind = kind;
        this.rule = rule;
    }

    public Kind kind() {
        return kind;
    }

    /** The shape of a field of a struct, of a value of a map; UNTYPED elsewhere or for unknown fields. */
    public Shape field(String name) {
        return switch (kind) {
            case STRUCT -> owner.field(type, name);
            case MAP -> owner.of(type.getContentType(), FieldRule.NONE);
            default -> UNTYPED;
        };
    }

    /** Whether a struct declares this field (server-side apply treats declared fields apart from map keys). */
    public boolean declares(String name) {
        return kind == Kind.STRUCT && owner.declares(type, name);
    }

    /** The shape of the items of a list. */
    public Shape element() {
        return kind == Kind.LIST ? owner.of(type.getContentType(), FieldRule.NONE) : UNTYPED;
    }

    /** The patch strategies of this field ("merge", "replace", "retainKeys"). */
    public Set<String> strategies() {
        return rule.strategies();
    }

    /** The strategic merge patch merge key of a list of objects, or null. */
    public String mergeKey() {
        return rule.mergeKey();
    }

    /** How server-side apply treats this list. */
    public ListType listType() {
        if (rule.listType() != null) {
            return rule.listType();
        }
        if (rule.strategies().contains("merge")) {
            return rule.mergeKey() == null ? ListType.SET : ListType.MAP;
        }
        return ListType.ATOMIC;
    }

    /** The key fields of a map list. */
    public List<String> keys() {
        return rule.keys();
    }

    /** Defaults of key fields an item may omit. */
    public Map<String, String> keyDefaults() {
        return rule.keyDefaults();
    }

    /** Whether server-side apply owns this place as one value (atomic list, map or struct). */
    public boolean atomic() {
        return switch (kind) {
            case LIST -> listType() == ListType.ATOMIC;
            case MAP -> rule.atomic();
            case STRUCT -> rule.atomic() || (!rule.granular() && owner.atomicType(type));
            default -> false;
        };
    }
}
