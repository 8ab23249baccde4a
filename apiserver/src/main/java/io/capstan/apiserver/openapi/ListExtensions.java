package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * How Kubernetes merges the lists of the built-in kinds, as its published schemas say: the
 * strategic-merge-patch key and strategy, and the server-side-apply list type and map keys.
 * Keyed by the owning type's simple name and the field.
 */
final class ListExtensions {

    /** @param mergeKey null for lists without one; strategy null for none; listType "map", "set" or "atomic" */
    private record Rule(String mergeKey, String strategy, String listType, List<String> mapKeys) {}

    private static final Rule CONDITIONS = new Rule("type", "merge", "map", List.of("type"));

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("PodSpec.containers", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("PodSpec.initContainers", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("PodSpec.ephemeralContainers", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("PodSpec.volumes", new Rule("name", "merge,retainKeys", "map", List.of("name"))),
            Map.entry("PodSpec.imagePullSecrets", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("PodSpec.hostAliases", new Rule("ip", "merge", "map", List.of("ip"))),
            Map.entry("PodSpec.resourceClaims", new Rule("name", "merge,retainKeys", "map", List.of("name"))),
            Map.entry("PodSpec.schedulingGates", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("PodSpec.topologySpreadConstraints", new Rule("topologyKey", "merge", "map",
                    List.of("topologyKey", "whenUnsatisfiable"))),
            Map.entry("Container.ports", new Rule("containerPort", "merge", "map", List.of("containerPort", "protocol"))),
            Map.entry("Container.env", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("Container.volumeMounts", new Rule("mountPath", "merge", "map", List.of("mountPath"))),
            Map.entry("Container.volumeDevices", new Rule("devicePath", "merge", "map", List.of("devicePath"))),
            Map.entry("EphemeralContainer.ports", new Rule("containerPort", "merge", "map", List.of("containerPort", "protocol"))),
            Map.entry("EphemeralContainer.env", new Rule("name", "merge", "map", List.of("name"))),
            Map.entry("EphemeralContainer.volumeMounts", new Rule("mountPath", "merge", "map", List.of("mountPath"))),
            Map.entry("ServiceSpec.ports", new Rule("port", "merge", "map", List.of("port", "protocol"))),
            Map.entry("ObjectMeta.finalizers", new Rule(null, "merge", "set", List.of())),
            Map.entry("ObjectMeta.ownerReferences", new Rule("uid", "merge", "map", List.of("uid"))),
            Map.entry("PodStatus.conditions", CONDITIONS),
            Map.entry("NodeStatus.conditions", CONDITIONS),
            Map.entry("NodeStatus.addresses", new Rule("type", "merge", "atomic", List.of())),
            Map.entry("DeploymentStatus.conditions", CONDITIONS),
            Map.entry("ReplicaSetStatus.conditions", CONDITIONS),
            Map.entry("StatefulSetStatus.conditions", CONDITIONS),
            Map.entry("DaemonSetStatus.conditions", CONDITIONS),
            Map.entry("JobStatus.conditions", new Rule("type", "merge", "atomic", List.of())),
            Map.entry("NamespaceStatus.conditions", CONDITIONS),
            Map.entry("ReplicationControllerStatus.conditions", CONDITIONS),
            Map.entry("PersistentVolumeClaimStatus.conditions", CONDITIONS),
            Map.entry("ServiceStatus.conditions", CONDITIONS),
            Map.entry("PodDisruptionBudgetStatus.conditions", CONDITIONS),
            Map.entry("HorizontalPodAutoscalerStatus.conditions", CONDITIONS),
            Map.entry("PodDisruptionBudgetStatus.disruptedPods", new Rule(null, null, null, List.of())),
            Map.entry("CustomResourceDefinitionStatus.conditions", CONDITIONS),
            Map.entry("PodSpec.tolerations", new Rule(null, null, "atomic", List.of())),
            Map.entry("Container.args", new Rule(null, null, "atomic", List.of())),
            Map.entry("Container.command", new Rule(null, null, "atomic", List.of())),
            Map.entry("Container.envFrom", new Rule(null, null, "atomic", List.of())));

    private ListExtensions() {}

    static void apply(String owner, String field, ObjectNode property) {
        Rule rule = RULES.get(owner + "." + field);
        if (rule == null || !"array".equals(property.path("type").asText())) {
            return;
        }
        if (rule.listType() != null) {
            property.put("x-kubernetes-list-type", rule.listType());
        }
        if (!rule.mapKeys().isEmpty()) {
            rule.mapKeys().forEach(property.putArray("x-kubernetes-list-map-keys")::add);
        }
        if (rule.mergeKey() != null) {
            property.put("x-kubernetes-patch-merge-key", rule.mergeKey());
        }
        if (rule.strategy() != null) {
            property.put("x-kubernetes-patch-strategy", rule.strategy());
        }
    }
}
