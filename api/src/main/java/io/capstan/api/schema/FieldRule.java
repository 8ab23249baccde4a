package io.capstan.api.schema;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one field of a built-in type merges, as its Go struct tags and markers in k8s.io/api say.
 *
 * @param strategies the patchStrategy tag: "merge", "replace", "retainKeys" (strategic merge patch)
 * @param mergeKey the patchMergeKey tag, or null (strategic merge patch)
 * @param listType the +listType marker, or null to derive it from the patch strategy (server-side apply)
 * @param keys the +listMapKey markers of a map list (server-side apply)
 * @param keyDefaults defaults of key fields an item may leave out, e.g. protocol TCP for ports
 * @param atomic +mapType=atomic or +structType=atomic on the field; {@code granular} overrides an atomic type
 * @param granular +structType=granular on the field
 */
public record FieldRule(Set<String> strategies, String mergeKey, Shape.ListType listType, List<String> keys,
                        Map<String, String> keyDefaults, boolean atomic, boolean granular) {

    /** A field with no rule: lists are atomic, maps and structs granular. */
    public static final FieldRule NONE = new FieldRule(Set.of(), null, null, List.of(), Map.of(), false, false);
}
