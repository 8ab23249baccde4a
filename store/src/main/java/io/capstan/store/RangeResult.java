package io.capstan.store;

import java.util.List;

/**
 * A page of a range read.
 *
 * @param items the live key-values, in key order
 * @param revision the revision the read was served at
 * @param more whether keys remain after the last item
 * @param remaining how many live keys remain after the last item
 */
public record RangeResult(List<KeyValue> items, long revision, boolean more, long remaining) {}
