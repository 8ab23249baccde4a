package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;

/** Node selector terms against a NodeInfo: the rules of {@link io.capstan.api.NodeSelectorTerms}. */
public final class NodeSelectorTerms {

    private NodeSelectorTerms() {}

    /** Whether any of the terms matches the node (an empty list of terms matches nothing). */
    public static boolean anyMatches(JsonNode terms, NodeInfo node) {
        return io.capstan.api.NodeSelectorTerms.anyMatches(terms, node.name(), node.labels());
    }

    /** Whether one term matches; a term with no requirements matches nothing, as in Kubernetes. */
    public static boolean termMatches(JsonNode term, NodeInfo node) {
        return io.capstan.api.NodeSelectorTerms.termMatches(term, node.name(), node.labels());
    }
}
