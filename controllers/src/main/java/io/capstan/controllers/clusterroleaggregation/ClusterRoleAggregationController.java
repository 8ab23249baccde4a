package io.capstan.controllers.clusterroleaggregation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.AggregatedRules;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.util.Optional;

/**
 * Fills an aggregated ClusterRole's rules from the ClusterRoles its aggregationRule selects, as
 * Kubernetes' clusterrole-aggregation-controller does; writes only when they differ.
 */
public final class ClusterRoleAggregationController implements Reconciler {

    private final Api api;
    private final ObjectCache clusterRoles;

    public ClusterRoleAggregationController(Api api, ObjectCache clusterRoles) {
        this.api = api;
        this.clusterRoles = clusterRoles;
    }

    @Override
    public Result reconcile(String key) {
        Optional<ObjectNode> found = clusterRoles.get("", key);
        if (found.isEmpty() || !AggregatedRules.isAggregated(found.get())) {
            return Result.done();
        }
        ObjectNode role = found.get();
        ArrayNode wanted = AggregatedRules.of(role, clusterRoles.list());
        JsonNode current = role.path("rules");
        if (wanted.equals(current) || wanted.isEmpty() && current.isMissingNode()) {
            return Result.done();
        }
        ObjectNode patch = Json.object();
        patch.set("rules", wanted);
        api.patch(Kinds.CLUSTER_ROLES, "", key, "", "application/merge-patch+json", patch);
        return Result.done();
    }
}
