package io.capstan.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a list answer.
 *
 * @param resourceVersion the list's resourceVersion, from which a watch continues
 * @param continueToken the token for the next page, or empty on the last page
 */
public record ListPage(List<ObjectNode> items, String resourceVersion, String continueToken) {}
