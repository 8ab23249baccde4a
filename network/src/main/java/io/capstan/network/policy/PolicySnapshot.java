package io.capstan.network.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The objects policy enforcement reads, as informers hold them at one moment: every NetworkPolicy, Pod and Namespace. */
public record PolicySnapshot(List<? extends JsonNode> policies, List<? extends JsonNode> pods, List<? extends JsonNode> namespaces) {

    public PolicySnapshot {
        policies = List.copyOf(policies);
        pods = List.copyOf(pods);
        namespaces = List.copyOf(namespaces);
    }
}
