package io.capstan.api.schema;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merge rules of types, by Go type name (which is the fabric8 model class's simple name):
 * per-field patch strategies and list types, and the types that are atomic as a whole.
 */
public final class TypeRules {

    private final Map<String, FieldRule> fields = new HashMap<>();
    private final Set<String> atomicTypes = new HashSet<>();

    /** The rule of {@code type.field}, or {@link FieldRule#NONE}. */
    public FieldRule rule(String type, String field) {
        return fields.getOrDefault(type + "." + field, FieldRule.NONE);
    }

    /** Whether a struct type is {@code +structType=atomic}. */
    public boolean atomicType(String type) {
        return atomicTypes.contains(type);
    }

    /** patchStrategy merge with patchMergeKey, and a map list keyed by {@code keys} (the merge key when none given). */
    public TypeRules mergeByKey(String typeField, String mergeKey, String... keys) {
        List<String> k = keys.length == 0 ? List.of(mergeKey) : List.of(keys);
        return put(typeField, new FieldRule(Set.of("merge"), mergeKey, Shape.ListType.MAP, k, Map.of(), false, false));
    }

    /** Like {@link #mergeByKey} with defaults for key fields items may omit ("protocol", "TCP"). */
    public TypeRules mergeByKeyWithDefault(String typeField, String mergeKey, String defaultedKey, String defaultValue, String... keys) {
        return put(typeField, new FieldRule(Set.of("merge"), mergeKey, Shape.ListType.MAP, List.of(keys),
                Map.of(defaultedKey, defaultValue), false, false));
    }

    /** patchStrategy "merge,retainKeys" on a keyed list. */
    public TypeRules mergeByKeyRetainKeys(String typeField, String mergeKey) {
        return put(typeField, new FieldRule(Set.of("merge", "retainKeys"), mergeKey, Shape.ListType.MAP, List.of(mergeKey),
                Map.of(), false, false));
    }

    /** A keyed list for server-side apply that strategic merge patch still replaces whole. */
    public TypeRules mapList(String typeField, String... keys) {
        return put(typeField, new FieldRule(Set.of(), null, Shape.ListType.MAP, List.of(keys), Map.of(), false, false));
    }

    /** A list strategic merge patch merges by key but server-side apply treats as atomic. */
    public TypeRules mergeByKeyAtomic(String typeField, String mergeKey) {
        return put(typeField, new FieldRule(Set.of("merge"), mergeKey, Shape.ListType.ATOMIC, List.of(), Map.of(), false, false));
    }

    /** A list of scalars that both merge as a set ({@code patchStrategy:"merge"}, {@code +listType=set}). */
    public TypeRules mergeSet(String typeField) {
        return put(typeField, new FieldRule(Set.of("merge"), null, Shape.ListType.SET, List.of(), Map.of(), false, false));
    }

    /** A set for server-side apply only. */
    public TypeRules set(String typeField) {
        return put(typeField, new FieldRule(Set.of(), null, Shape.ListType.SET, List.of(), Map.of(), false, false));
    }

    /** A field of other patch strategies ("replace", "retainKeys"). */
    public TypeRules strategy(String typeField, String... strategies) {
        return put(typeField, new FieldRule(Set.copyOf(Arrays.asList(strategies)), null, null, List.of(), Map.of(), false, false));
    }

    /** {@code +mapType=atomic} on a field. */
    public TypeRules atomicMap(String typeField) {
        return put(typeField, new FieldRule(Set.of(), null, null, List.of(), Map.of(), true, false));
    }

    /** {@code +structType=granular} on a field whose type is atomic. */
    public TypeRules granular(String typeField) {
        return put(typeField, new FieldRule(Set.of(), null, null, List.of(), Map.of(), false, true));
    }

    /** {@code +structType=atomic} types. */
    public TypeRules atomic(String... types) {
        atomicTypes.addAll(Arrays.asList(types));
        return this;
    }

    private TypeRules put(String typeField, FieldRule rule) {
        fields.put(typeField, rule);
        return this;
    }
}
