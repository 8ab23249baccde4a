package io.capstan.api.table;

import static java.util.Map.entry;

import java.util.Map;

/** Which convertor each built-in kind has, keyed by "group/Kind" ("" for the core group). */
final class TableConvertors {

    /** Convertors of custom kinds, by their additionalPrinterColumns (built once per distinct list). */
    static final java.util.Map<com.fasterxml.jackson.databind.JsonNode, TableConvertor> CUSTOM =
            new java.util.concurrent.ConcurrentHashMap<>();


    private TableConvertors() {}

    static final Map<String, TableConvertor> BUILTIN = Map.ofEntries(
            entry("/Pod", PodTable.INSTANCE),
            entry("/PodTemplate", WorkloadTables.POD_TEMPLATE),
            entry("/ReplicationController", WorkloadTables.REPLICATION_CONTROLLER),
            entry("/Service", NetworkTables.SERVICE),
            entry("/Endpoints", NetworkTables.ENDPOINTS),
            entry("/Node", CoreTables.NODE),
            entry("/Namespace", CoreTables.NAMESPACE),
            entry("/ConfigMap", CoreTables.CONFIG_MAP),
            entry("/Secret", CoreTables.SECRET),
            entry("/ServiceAccount", CoreTables.SERVICE_ACCOUNT),
            entry("/ResourceQuota", CoreTables.RESOURCE_QUOTA),
            entry("/PersistentVolume", StorageTables.PERSISTENT_VOLUME),
            entry("/PersistentVolumeClaim", StorageTables.PERSISTENT_VOLUME_CLAIM),
            entry("/Event", EventTable.INSTANCE),
            entry("/LimitRange", CreatedAtTableConvertor.INSTANCE),
            entry("events.k8s.io/Event", EventTable.INSTANCE),
            entry("apps/Deployment", WorkloadTables.DEPLOYMENT),
            entry("apps/ReplicaSet", WorkloadTables.REPLICA_SET),
            entry("apps/StatefulSet", WorkloadTables.STATEFUL_SET),
            entry("apps/DaemonSet", WorkloadTables.DAEMON_SET),
            entry("apps/ControllerRevision", WorkloadTables.CONTROLLER_REVISION),
            entry("batch/Job", WorkloadTables.JOB),
            entry("batch/CronJob", WorkloadTables.CRON_JOB),
            entry("autoscaling/HorizontalPodAutoscaler", WorkloadTables.HORIZONTAL_POD_AUTOSCALER),
            entry("policy/PodDisruptionBudget", WorkloadTables.POD_DISRUPTION_BUDGET),
            entry("coordination.k8s.io/Lease", ClusterTables.LEASE),
            entry("discovery.k8s.io/EndpointSlice", NetworkTables.ENDPOINT_SLICE),
            entry("networking.k8s.io/Ingress", NetworkTables.INGRESS),
            entry("networking.k8s.io/IngressClass", NetworkTables.INGRESS_CLASS),
            entry("networking.k8s.io/NetworkPolicy", NetworkTables.NETWORK_POLICY),
            entry("node.k8s.io/RuntimeClass", ClusterTables.RUNTIME_CLASS),
            entry("rbac.authorization.k8s.io/RoleBinding", ClusterTables.ROLE_BINDING),
            entry("rbac.authorization.k8s.io/ClusterRoleBinding", ClusterTables.CLUSTER_ROLE_BINDING),
            entry("rbac.authorization.k8s.io/Role", CreatedAtTableConvertor.INSTANCE),
            entry("rbac.authorization.k8s.io/ClusterRole", CreatedAtTableConvertor.INSTANCE),
            entry("storage.k8s.io/StorageClass", StorageTables.STORAGE_CLASS),
            entry("scheduling.k8s.io/PriorityClass", ClusterTables.PRIORITY_CLASS),
            entry("apiextensions.k8s.io/CustomResourceDefinition", CreatedAtTableConvertor.INSTANCE));
}
