package io.capstan.apiserver.authz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default ClusterRoles and ClusterRoleBindings every cluster has, after Kubernetes'
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy: admin, edit and view aggregate the
 * system:aggregate-to-* roles as there; the system:* roles are trimmed to what Capstan's components use.
 */
public final class BootstrapPolicy {

    public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    private static final String AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-";
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> READ_WRITE = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> PUBLIC_INFO = List.of("/healthz", "/livez", "/readyz", "/version", "/version/");

    private BootstrapPolicy() {}

    private static PolicyRule rule(List<String> verbs, String group, String... resources) {
        return PolicyRule.of(verbs, List.of(group), List.of(resources));
    }

    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        roles.add(role("cluster-admin", Map.of(), List.of(
                PolicyRule.of(List.of("*"), List.of("*"), List.of("*")), PolicyRule.urls(List.of("*"), List.of("*")))));
        roles.add(role("system:discovery", Map.of(), List.of(PolicyRule.urls(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*",
                "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")))));
        roles.add(role("system:public-info-viewer", Map.of(), List.of(PolicyRule.urls(List.of("get"), PUBLIC_INFO))));
        roles.add(role("system:basic-user", Map.of(), List.of(
                rule(List.of("create"), "authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                rule(List.of("create"), "authentication.k8s.io", "selfsubjectreviews"))));
        roles.add(aggregated("admin", Map.of(), "admin"));
        roles.add(aggregated("edit", Map.of(AGGREGATE + "admin", "true"), "edit"));
        roles.add(aggregated("view", Map.of(AGGREGATE + "edit", "true"), "view"));
        // As metrics-server installs it: whoever may view may read resource metrics (kubectl top).
        roles.add(role("system:aggregated-metrics-reader", Map.of(AGGREGATE + "view", "true", AGGREGATE + "edit", "true",
                AGGREGATE + "admin", "true"), List.of(rule(READ, "metrics.k8s.io", "pods", "nodes"))));
        roles.add(role("system:aggregate-to-admin", Map.of(AGGREGATE + "admin", "true"), List.of(
                rule(List.of("create"), "authorization.k8s.io", "localsubjectaccessreviews"),
                rule(READ_WRITE, "rbac.authorization.k8s.io", "rolebindings", "roles"))));
        roles.add(role("system:aggregate-to-edit", Map.of(AGGREGATE + "edit", "true"), List.of(
                rule(READ, "", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
                rule(List.of("impersonate"), "", "serviceaccounts"),
                rule(WRITE, "", "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
                rule(List.of("create"), "", "pods/eviction"),
                rule(WRITE, "", "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                        "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"),
                rule(List.of("create"), "", "serviceaccounts/token"),
                rule(WRITE, "apps", "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                        "replicasets/scale", "statefulsets", "statefulsets/scale"),
                rule(WRITE, "autoscaling", "horizontalpodautoscalers"),
                rule(WRITE, "batch", "cronjobs", "jobs"),
                rule(WRITE, "extensions", "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                        "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"),
                rule(WRITE, "policy", "poddisruptionbudgets"),
                rule(WRITE, "networking.k8s.io", "ingresses", "networkpolicies"),
                rule(READ_WRITE, "coordination.k8s.io", "leases"))));
        roles.add(role("system:aggregate-to-view", Map.of(AGGREGATE + "view", "true"), List.of(
                rule(READ, "", "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                        "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
                rule(READ, "", "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                        "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
                rule(READ, "", "namespaces"),
                rule(READ, "discovery.k8s.io", "endpointslices"),
                rule(READ, "apps", "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                        "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                        "statefulsets/scale", "statefulsets/status"),
                rule(READ, "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
                rule(READ, "batch", "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
                rule(READ, "extensions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                        "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
                        "replicationcontrollers/scale"),
                rule(READ, "policy", "poddisruptionbudgets", "poddisruptionbudgets/status"),
                rule(READ, "networking.k8s.io", "ingresses", "ingresses/status", "networkpolicies"))));
        roles.add(role("system:node", Map.of(), List.of(
                rule(List.of("create"), "authentication.k8s.io", "tokenreviews"),
                rule(List.of("create"), "authorization.k8s.io", "localsubjectaccessreviews", "subjectaccessreviews"),
                rule(READ, "", "services", "endpoints"),
                rule(List.of("create", "delete", "get", "list", "watch", "patch", "update"), "", "nodes"),
                rule(List.of("patch", "update"), "", "nodes/status"),
                rule(List.of("create", "patch", "update"), "", "events"),
                rule(List.of("create", "patch", "update"), "events.k8s.io", "events"),
                rule(List.of("create", "delete", "get", "list", "watch"), "", "pods"),
                rule(List.of("patch", "update"), "", "pods/status"),
                rule(List.of("create"), "", "pods/eviction"),
                rule(READ, "", "configmaps", "secrets"),
                // Capstan's agent caches claims and volumes with informers, so it lists and watches them.
                rule(READ, "", "persistentvolumeclaims", "persistentvolumes"),
                rule(List.of("update", "patch"), "", "persistentvolumeclaims", "persistentvolumeclaims/status"),
                rule(List.of("create"), "", "serviceaccounts/token"),
                rule(List.of("create", "delete", "get", "patch", "update"), "coordination.k8s.io", "leases"),
                rule(READ, "node.k8s.io", "runtimeclasses"),
                // The agent runs the node's service proxy too (kube-proxy's system:node-proxier reads these).
                rule(READ, "discovery.k8s.io", "endpointslices"),
                // The agent enforces NetworkPolicies (kube-router's reads in k3s): policies, and the namespaces' labels.
                rule(READ, "networking.k8s.io", "networkpolicies"),
                rule(READ, "", "namespaces"),
                rule(READ, "storage.k8s.io", "storageclasses"))));
        roles.add(role("system:kube-scheduler", Map.of(), List.of(
                rule(List.of("create", "patch", "update"), "", "events"),
                rule(List.of("create", "patch", "update"), "events.k8s.io", "events"),
                rule(List.of("create"), "coordination.k8s.io", "leases"),
                PolicyRule.of(List.of("get", "update"), List.of("coordination.k8s.io"), List.of("leases"))
                        .withNames("kube-scheduler"),
                rule(List.of("create"), "authentication.k8s.io", "tokenreviews"),
                rule(List.of("create"), "authorization.k8s.io", "subjectaccessreviews"),
                rule(List.of("delete", "get", "list", "watch"), "", "pods"),
                rule(List.of("create"), "", "bindings", "pods/binding"),
                rule(List.of("patch", "update"), "", "pods/status"),
                rule(READ, "", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes", "replicationcontrollers", "services"),
                rule(READ, "apps", "replicasets", "statefulsets"),
                rule(READ, "policy", "poddisruptionbudgets"),
                rule(READ, "storage.k8s.io", "storageclasses", "csinodes", "csidrivers", "csistoragecapacities"),
                rule(READ, "scheduling.k8s.io", "priorityclasses"))));
        // Capstan runs its controllers under one identity (no --use-service-account-credentials), so the
        // controller manager's role carries what all of its controllers do.
        roles.add(role("system:kube-controller-manager", Map.of(), List.of(
                PolicyRule.of(List.of("*"), List.of("", "apps", "batch", "autoscaling", "policy", "discovery.k8s.io", "coordination.k8s.io",
                        "events.k8s.io", "networking.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "node.k8s.io"), List.of("*")),
                rule(READ_WRITE, "rbac.authorization.k8s.io", "clusterroles"),
                rule(List.of("escalate"), "rbac.authorization.k8s.io", "clusterroles"),
                rule(List.of("create"), "authentication.k8s.io", "tokenreviews"),
                rule(List.of("create"), "authorization.k8s.io", "subjectaccessreviews"),
                rule(READ, "apiextensions.k8s.io", "customresourcedefinitions"),
                PolicyRule.of(List.of("delete", "get", "list", "patch", "update", "watch"), List.of("*"), List.of("*")))));
        // Each node runs the built-in Ingress (network/ingress), as k3s nodes run Traefik's pods under its own role.
        roles.add(role("capstan:ingress", Map.of(), List.of(
                rule(READ, "", "services", "secrets"),
                rule(READ, "discovery.k8s.io", "endpointslices"),
                rule(READ, "networking.k8s.io", "ingresses", "ingressclasses"),
                rule(List.of("update", "patch"), "networking.k8s.io", "ingresses/status"))));
        return roles;
    }

    public static List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", "cluster-admin", "Group", "system:masters"),
                binding("system:discovery", "system:discovery", "Group", "system:authenticated"),
                binding("system:basic-user", "system:basic-user", "Group", "system:authenticated"),
                binding("system:public-info-viewer", "system:public-info-viewer", "Group", "system:authenticated", "Group",
                        "system:unauthenticated"),
                // Kubernetes leaves this binding without subjects and lets the Node authorizer judge nodes; Capstan has none yet.
                binding("system:node", "system:node", "Group", "system:nodes"),
                binding("capstan:ingress", "capstan:ingress", "Group", "system:nodes"),
                binding("system:kube-scheduler", "system:kube-scheduler", "User", "system:kube-scheduler"),
                binding("system:kube-controller-manager", "system:kube-controller-manager", "User", "system:kube-controller-manager"));
    }

    /** The selector label of an aggregated role ("rbac.authorization.k8s.io/aggregate-to-edit"). */
    static String aggregateLabel(String role) {
        return AGGREGATE + role;
    }

    private static ObjectNode role(String name, Map<String, String> labels, List<PolicyRule> rules) {
        ObjectNode role = meta("ClusterRole", name, labels);
        ArrayNode array = role.putArray("rules");
        rules.forEach(r -> array.add(r.toJson()));
        return role;
    }

    /** An aggregated role: its rules are filled by the ClusterRoleAggregation controller (and by the bootstrap itself). */
    private static ObjectNode aggregated(String name, Map<String, String> labels, String selects) {
        ObjectNode role = meta("ClusterRole", name, labels);
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
                .put(aggregateLabel(selects), "true");
        role.putArray("rules");
        return role;
    }

    private static ObjectNode binding(String name, String role, String... subjects) {
        ObjectNode b = meta("ClusterRoleBinding", name, Map.of());
        b.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", "ClusterRole").put("name", role);
        ArrayNode array = b.putArray("subjects");
        for (int i = 0; i < subjects.length; i += 2) {
            array.addObject().put("apiGroup", "rbac.authorization.k8s.io").put("kind", subjects[i]).put("name", subjects[i + 1]);
        }
        return b;
    }

    private static ObjectNode meta(String kind, String name, Map<String, String> labels) {
        ObjectNode obj = Json.object().put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", kind);
        ObjectNode meta = obj.putObject("metadata").put("name", name);
        meta.putObject("annotations").put(AUTOUPDATE, "true");
        ObjectNode l = meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        labels.forEach(l::put);
        return obj;
    }
}
