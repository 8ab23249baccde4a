package io.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.AggregatedRules;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.authz.BootstrapPolicy;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.Keys;
import io.capstan.apiserver.registry.ObjectCodec;
import io.capstan.store.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default RBAC policy, reconciled on every start as kube-apiserver's RBAC post-start hook does:
 * missing roles and bindings are created; those annotated rbac.authorization.kubernetes.io/autoupdate
 * other than "false" get back missing rules, labels, annotations and subjects (nothing is taken away).
 * Aggregated roles are filled at once, so the policy is whole before the aggregation controller runs.
 */
final class RbacBootstrap {

    private final GenericRegistry registry;
    private final ResourceType clusterRoles;
    private final ResourceType clusterRoleBindings;

    RbacBootstrap(GenericRegistry registry, ResourceRegistry types) {
        this.registry = registry;
        this.clusterRoles = types.find("rbac.authorization.k8s.io", "v1", "clusterroles").orElseThrow();
        this.clusterRoleBindings = types.find("rbac.authorization.k8s.io", "v1", "clusterrolebindings").orElseThrow();
    }

    void run() {
        for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
            reconcile(clusterRoles, role, this::mergeRole);
        }
        for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
            reconcile(clusterRoleBindings, binding, RbacBootstrap::mergeSubjects);
        }
        // Aggregated roles may gather other aggregated roles (admin <- edit <- view): a pass per level.
        for (int pass = 0; pass < 3; pass++) {
            fillAggregated();
        }
    }

    private interface Merge {
        /** Adds to live what wanted has and live lacks. */
        void into(ObjectNode live, ObjectNode wanted);
    }

    private void reconcile(ResourceType type, ObjectNode wanted, Merge merge) {
        String name = Json.text(wanted, "metadata", "name");
        var live = registry.find(type, "", name);
        if (live.isEmpty()) {
            try {
                registry.create(type, "", wanted.deepCopy(), false);
            } catch (StatusException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
            return;
        }
        if (live.get().path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE).asText("").equals("false")) {
            return; // the administrator took this one over
        }
        registry.patch(type, "", name, "", obj -> {
            merge.into(obj, wanted);
            mergeMap(obj, wanted, "labels");
            mergeMap(obj, wanted, "annotations");
            return obj;
        }, false);
    }

    private void mergeRole(ObjectNode live, ObjectNode wanted) {
        if (AggregatedRules.isAggregated(wanted)) {
            live.set("aggregationRule", wanted.get("aggregationRule").deepCopy());
            return;
        }
        addMissing(live.path("rules") instanceof ArrayNode a ? a : live.putArray("rules"), wanted.path("rules"));
    }

    private static void mergeSubjects(ObjectNode live, ObjectNode wanted) {
        addMissing(live.path("subjects") instanceof ArrayNode a ? a : live.putArray("subjects"), wanted.path("subjects"));
    }

    private static void addMissing(ArrayNode into, JsonNode from) {
        for (JsonNode item : from) {
            boolean present = false;
            for (JsonNode have : into) {
                present |= have.equals(item);
            }
            if (!present) {
                into.add(item.deepCopy());
            }
        }
    }

    private static void mergeMap(ObjectNode live, ObjectNode wanted, String field) {
        ObjectNode into = Json.with(live, "metadata", field);
        for (Map.Entry<String, JsonNode> e : wanted.path("metadata").path(field).properties()) {
            if (!into.has(e.getKey())) {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private void fillAggregated() {
        List<ObjectNode> all = new ArrayList<>();
        for (KeyValue kv : registry.store().range(Keys.prefix(clusterRoles, ""), null, 0, 0).items()) {
            all.add(ObjectCodec.decode(kv));
        }
        for (ObjectNode role : all) {
            if (!AggregatedRules.isAggregated(role)) {
                continue;
            }
            ArrayNode wanted = AggregatedRules.of(role, all);
            if (!wanted.equals(role.path("rules"))) {
                registry.patch(clusterRoles, "", Json.text(role, "metadata", "name"), "", obj -> {
                    obj.set("rules", wanted);
                    return obj;
                }, false);
            }
        }
    }
}
