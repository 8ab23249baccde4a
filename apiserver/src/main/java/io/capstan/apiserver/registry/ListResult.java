package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A page of a list.
 *
 * @param continueToken null when this is the last page
 * @param remainingItemCount null when unknown (selectors filtered the list) or on the last page
 */
public record ListResult(List<ObjectNode> items, long resourceVersion, String continueToken, Long remainingItemCount) {}
