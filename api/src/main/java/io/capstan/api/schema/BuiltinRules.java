package io.capstan.api.schema;

/**
 * The merge rules of the built-in kinds, taken from the patchStrategy/patchMergeKey tags and the
 * +listType/+listMapKey/+mapType/+structType markers of k8s.io/api and k8s.io/apimachinery.
 * Lists not named here are atomic; maps and structs not named here merge field by field.
 */
final class BuiltinRules {

    private BuiltinRules() {}

    static TypeRules create() {
        return new TypeRules()
                // meta/v1
                .mergeByKey("ObjectMeta.ownerReferences", "uid")
                .mergeSet("ObjectMeta.finalizers")
                .atomic("OwnerReference", "LabelSelector")
                // core/v1 pods and templates
                .mergeByKeyRetainKeys("PodSpec.volumes", "name")
                .mergeByKey("PodSpec.initContainers", "name")
                .mergeByKey("PodSpec.containers", "name")
                .mergeByKey("PodSpec.ephemeralContainers", "name")
                .mergeByKey("PodSpec.imagePullSecrets", "name")
                .mergeByKey("PodSpec.hostAliases", "ip")
                .mergeByKey("PodSpec.topologySpreadConstraints", "topologyKey", "topologyKey", "whenUnsatisfiable")
                .mergeByKey("PodSpec.schedulingGates", "name")
                .mergeByKeyRetainKeys("PodSpec.resourceClaims", "name")
                .atomicMap("PodSpec.nodeSelector")
                .mergeByKeyWithDefault("Container.ports", "containerPort", "protocol", "TCP", "containerPort", "protocol")
                .mergeByKey("Container.env", "name")
                .mergeByKey("Container.volumeMounts", "mountPath")
                .mergeByKey("Container.volumeDevices", "devicePath")
                .mergeByKeyWithDefault("EphemeralContainer.ports", "containerPort", "protocol", "TCP", "containerPort", "protocol")
                .mergeByKey("EphemeralContainer.env", "name")
                .mergeByKey("EphemeralContainer.volumeMounts", "mountPath")
                .mergeByKey("EphemeralContainer.volumeDevices", "devicePath")
                .set("VolumeMount.bindMountOptions")
                .mapList("ResourceRequirements.claims", "name")
                .atomic("SecretReference", "FileKeySelector", "ObjectFieldSelector", "ResourceFieldSelector",
                        "ConfigMapKeySelector", "SecretKeySelector", "NodeSelector", "NodeSelectorTerm", "TopologySelectorTerm",
                        "ObjectReference", "LocalObjectReference", "TypedLocalObjectReference", "ScopeSelector",
                        "EndpointAddress", "EndpointPort", "ServiceBackendPort", "Subject", "RoleRef")
                .mergeByKey("PodStatus.conditions", "type")
                .mergeByKeyAtomic("PodStatus.hostIPs", "ip")
                .mergeByKey("PodStatus.podIPs", "ip")
                .mergeByKeyRetainKeys("PodStatus.resourceClaimStatuses", "name")
                .mergeByKey("ContainerStatus.volumeMounts", "mountPath")
                .mergeByKey("ContainerStatus.allocatedResourcesStatus", "name")
                .mapList("ResourceStatus.resources", "resourceID")
                .set("ContainerRestartRuleOnExitCodes.values")
                // core/v1 other kinds
                .atomicMap("ReplicationControllerSpec.selector")
                .mergeByKey("ReplicationControllerStatus.conditions", "type")
                .mergeByKeyWithDefault("ServiceSpec.ports", "port", "protocol", "TCP", "port", "protocol")
                .atomicMap("ServiceSpec.selector")
                .mergeByKey("ServiceStatus.conditions", "type")
                .mergeByKey("ServiceAccount.secrets", "name")
                .mergeSet("NodeSpec.podCIDRs")
                .mergeByKey("NodeStatus.conditions", "type")
                .mergeByKey("NodeStatus.addresses", "type")
                .mergeByKey("NamespaceStatus.conditions", "type")
                .mergeByKey("PersistentVolumeClaimStatus.conditions", "type")
                .granular("PersistentVolumeSpec.claimRef")
                .mergeByKey("ComponentStatus.conditions", "type")
                // apps/v1
                .strategy("DeploymentSpec.strategy", "retainKeys")
                .mergeByKey("DeploymentStatus.conditions", "type")
                .mergeByKey("StatefulSetStatus.conditions", "type")
                .mergeByKey("DaemonSetStatus.conditions", "type")
                .mergeByKey("ReplicaSetStatus.conditions", "type")
                // batch/v1
                .mergeByKeyAtomic("JobStatus.conditions", "type")
                .set("UncountedTerminatedPods.succeeded")
                .set("UncountedTerminatedPods.failed")
                .set("PodFailurePolicyOnExitCodesRequirement.values")
                // other groups
                .mergeByKey("HorizontalPodAutoscalerStatus.conditions", "type")
                .strategy("PodDisruptionBudgetSpec.selector", "replace")
                .mergeByKey("PodDisruptionBudgetStatus.conditions", "type")
                .set("Endpoint.addresses")
                .atomicMap("Scheduling.nodeSelector");
    }
}
