package io.capstan.apiserver.registry;

import io.capstan.api.FieldSelector;
import io.capstan.api.LabelSelector;

/**
 * What a list or watch asks for.
 *
 * @param resourceVersion the resourceVersion parameter, or null
 * @param resourceVersionMatch Exact, NotOlderThan or null
 * @param limit page size, 0 for all
 * @param continueToken the continue parameter, or null
 */
public record ListOptions(LabelSelector labels, FieldSelector fields, String resourceVersion,
                          String resourceVersionMatch, long limit, String continueToken) {

    /** Whether selectors may drop objects, so counts of what remains are unknown. */
    public boolean filters() {
        return !labels.isEverything() || !fields.isEverything();
    }
}
