package io.capstan.api.table;

import static io.capstan.api.table.Cells.integer;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** RBAC bindings, Lease, PriorityClass and RuntimeClass. */
final class ClusterTables {

    private ClusterTables() {}

    static final KindTable ROLE_BINDING = binding("roleBinding");
    static final KindTable CLUSTER_ROLE_BINDING = binding("clusterRoleBinding");

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
}
