package io.capstan.api.table;

import static io.capstan.api.table.Cells.NONE;
import static io.capstan.api.table.Cells.integer;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Networking, RBAC, storage, scheduling and coordination kinds. */
final class ClusterTables {

    private ClusterTables() {}

    static final KindTable INGRESS = new KindTable(Columns.name()
            .string("Class", "The name of the IngressClass resource that should be used for additional configuration")
            .string("Hosts", "Hosts that incoming requests are matched against before the ingress rule")
            .string("Address", "Address is a list containing ingress points for the load-balancer")
            .string("Ports", "Ports of TLS configurations that open")
            .age().build(),
            (ing, now) -> {
                JsonNode spec = ing.path("spec");
                String className = spec.path("ingressClassName").isTextual() ? spec.path("ingressClassName").asText() : NONE;
                return List.of(name(ing), className, hosts(spec.path("rules")),
                        CoreTables.loadBalancerIngress(ing.path("status").path("loadBalancer").path("ingress")),
                        spec.path("tls").isEmpty() ? "80" : "80, 443", TableConvertor.age(ing, now));
            });

    static final KindTable INGRESS_CLASS = new KindTable(Columns.name()
            .string("Controller", "Controller that is responsible for handling this class")
            .string("Parameters", "A reference to a resource with additional parameters")
            .age().build(),
            (ic, now) -> {
                JsonNode p = ic.path("spec").path("parameters");
                String parameters = NONE;
                if (p.isObject()) {
                    parameters = text(p, "kind") + (p.path("apiGroup").isTextual() ? "." + p.path("apiGroup").asText() : "")
                            + "/" + text(p, "name");
                }
                return List.of(name(ic), text(ic, "spec", "controller"), parameters, TableConvertor.age(ic, now));
            });

    static final KindTable NETWORK_POLICY = new KindTable(Columns.name()
            .string("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is "
                    + "applied to any pods selected by this field. Multiple network policies can select the same set of pods. In "
                    + "this case, the ingress rules for each are combined additively. This field is NOT optional and follows "
                    + "standard label selector semantics. An empty podSelector matches all pods in this namespace.")
            .age().build(),
            (np, now) -> List.of(name(np), Cells.labelSelector(np.path("spec").path("podSelector")), TableConvertor.age(np, now)));

    static final KindTable ROLE_BINDING = binding("roleBinding");
    static final KindTable CLUSTER_ROLE_BINDING = binding("clusterRoleBinding");

    static final KindTable STORAGE_CLASS = new KindTable(Columns.name()
            .string("Provisioner", "provisioner indicates the type of the provisioner.")
            .string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this "
                    + "storage class. Defaults to Delete.")
            .string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  "
                    + "When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the "
                    + "VolumeScheduling feature.")
            .string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand.")
            .age().build(),
            (sc, now) -> {
                JsonNode annotations = sc.path("metadata").path("annotations");
                boolean isDefault = "true".equals(annotations.path("storageclass.kubernetes.io/is-default-class").asText())
                        || "true".equals(annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText());
                String reclaim = text(sc, "reclaimPolicy");
                String binding = text(sc, "volumeBindingMode");
                return List.of(isDefault ? name(sc) + " (default)" : name(sc), text(sc, "provisioner"),
                        reclaim.isEmpty() ? "Delete" : reclaim, binding.isEmpty() ? "Immediate" : binding,
                        sc.path("allowVolumeExpansion").asBoolean(false), TableConvertor.age(sc, now));
            });

    static final KindTable LEASE = new KindTable(Columns.name()
            .string("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election "
                    + "is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.")
            .age().build(),
            (lease, now) -> List.of(name(lease), text(lease, "spec", "holderIdentity"), TableConvertor.age(lease, now)));

    static final KindTable PRIORITY_CLASS = new KindTable(Columns.name()
            .integer("Value", "value represents the integer value of this priority class. This is the actual priority that pods "
                    + "receive when they have the name of this class in their pod spec.")
            .bool("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority "
                    + "for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. "
                    + "However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest "
                    + "value of such global default PriorityClasses will be used as the default priority.")
            .age()
            .string("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, "
                    + "PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.")
            .build(),
            (pc, now) -> List.of(name(pc), integer(pc, "value"), pc.path("globalDefault").asBoolean(false),
                    TableConvertor.age(pc, now), text(pc, "preemptionPolicy")));

    static final KindTable RUNTIME_CLASS = new KindTable(Columns.name()
            .string("Handler", "")
            .age().build(),
            (rc, now) -> List.of(name(rc), text(rc, "handler"), TableConvertor.age(rc, now)));

    private static KindTable binding(String what) {
        return new KindTable(Columns.name()
                .string("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If "
                        + "the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.")
                .age()
                .wide("Users", "Users in the " + what)
                .wide("Groups", "Groups in the " + what)
                .wide("ServiceAccounts", "ServiceAccounts in the " + what)
                .build(),
                (rb, now) -> {
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    List<String> serviceAccounts = new ArrayList<>();
                    for (JsonNode s : rb.path("subjects")) {
                        switch (text(s, "kind")) {
                            case "ServiceAccount" -> serviceAccounts.add(text(s, "namespace") + "/" + text(s, "name"));
                            case "User" -> users.add(text(s, "name"));
                            case "Group" -> groups.add(text(s, "name"));
                            default -> { }
                        }
                    }
                    return List.of(name(rb), text(rb, "roleRef", "kind") + "/" + text(rb, "roleRef", "name"),
                            TableConvertor.age(rb, now), String.join(", ", users), String.join(", ", groups),
                            String.join(", ", serviceAccounts));
                });
    }

    /** The first three hosts, "+ N more...", or "*" when no rule names a host. */
    private static String hosts(JsonNode rules) {
        final int max = 3;
        List<String> list = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == max) {
                more = true;
            }
            if (!more && !text(rule, "host").isEmpty()) {
                list.add(text(rule, "host"));
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - max) + " more..." : joined;
    }
}
