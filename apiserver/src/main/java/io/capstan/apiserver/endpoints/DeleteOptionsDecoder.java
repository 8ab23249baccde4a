package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.registry.DeleteOptions;
import java.util.Set;

/** Reads DeleteOptions from a DELETE's body and query, as kubectl and client libraries send them. */
final class DeleteOptionsDecoder {

    private static final Set<String> POLICIES = Set.of("Orphan", "Background", "Foreground");

    private DeleteOptionsDecoder() {}

    static DeleteOptions decode(Exchange exchange) {
        byte[] body = exchange.body();
        return fromJson(body.length == 0 ? Json.object() : BodyDecoder.parse(Json.MAPPER, body), exchange);
    }

    /** The deleteOptions of an Eviction body (absent: the defaults). */
    static DeleteOptions fromEviction(JsonNode node, Exchange exchange) {
        return fromJson(node.isMissingNode() || node.isNull() ? Json.object() : node, exchange);
    }

    private static DeleteOptions fromJson(JsonNode node, Exchange exchange) {
        if (!node.isObject()) {
            throw StatusException.badRequest("DeleteOptions must be an object");
        }
        Long grace = node.hasNonNull("gracePeriodSeconds") ? node.get("gracePeriodSeconds").asLong() : null;
        String graceParam = exchange.query("gracePeriodSeconds");
        if (graceParam != null && !graceParam.isEmpty()) {
            try {
                grace = Long.parseLong(graceParam);
            } catch (NumberFormatException e) {
                throw StatusException.badRequest("gracePeriodSeconds: Invalid value: \"" + graceParam + "\": must be an integer");
            }
        }
        String policy = node.hasNonNull("propagationPolicy") ? node.get("propagationPolicy").asText() : exchange.query("propagationPolicy");
        if (policy != null && !policy.isEmpty() && !POLICIES.contains(policy)) {
            throw StatusException.badRequest("propagationPolicy: Unsupported value: \"" + policy
                    + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        if (node.path("orphanDependents").asBoolean(false) && policy == null) {
            policy = "Orphan";
        }
        boolean dryRun = "All".equals(exchange.query("dryRun"));
        for (JsonNode d : node.path("dryRun")) {
            dryRun |= d.asText().equals("All");
        }
        JsonNode pre = node.path("preconditions");
        return new DeleteOptions(grace, policy, pre.hasNonNull("uid") ? pre.get("uid").asText() : null,
                pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null, dryRun);
    }
}
