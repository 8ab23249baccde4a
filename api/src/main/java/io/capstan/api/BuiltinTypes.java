package io.capstan.api;

import static io.capstan.api.ResourceRegistry.type;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Set;

/** The built-in kinds, with the REST names, short names and categories Kubernetes 1.32 gives them. */
final class BuiltinTypes {

    private static final List<String> NONE = List.of();
    private static final List<String> ALL_CATEGORY = List.of("all");
    private static final Set<String> STATUS = Set.of("status");
    private static final Set<String> STATUS_SCALE = Set.of("status", "scale");

    static final List<ResourceType> ALL = List.of(
            // core/v1, in the order Kubernetes lists them
            type("", "v1", "ConfigMap", "configmaps", true, List.of("cm"), NONE, Set.of(), ConfigMap.class),
            type("", "v1", "Endpoints", "endpoints", true, List.of("ep"), NONE, Set.of(), Endpoints.class),
            type("", "v1", "Event", "events", true, List.of("ev"), NONE, Set.of(), Event.class),
            type("", "v1", "LimitRange", "limitranges", true, List.of("limits"), NONE, Set.of(), LimitRange.class),
            type("", "v1", "Namespace", "namespaces", false, List.of("ns"), NONE, Set.of("status", "finalize"), Namespace.class),
            type("", "v1", "Node", "nodes", false, List.of("no"), NONE, Set.of("status", "proxy"), Node.class),
            type("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), NONE, STATUS, PersistentVolumeClaim.class),
            type("", "v1", "PersistentVolume", "persistentvolumes", false, List.of("pv"), NONE, STATUS, PersistentVolume.class),
            type("", "v1", "Pod", "pods", true, List.of("po"), ALL_CATEGORY,
                    Set.of("status", "log", "exec", "attach", "portforward", "binding", "eviction", "proxy", "ephemeralcontainers"),
                    Pod.class),
            type("", "v1", "PodTemplate", "podtemplates", true, NONE, NONE, Set.of(), PodTemplate.class),
            type("", "v1", "ReplicationController", "replicationcontrollers", true, List.of("rc"), ALL_CATEGORY, STATUS_SCALE,
                    ReplicationController.class),
            type("", "v1", "ResourceQuota", "resourcequotas", true, List.of("quota"), NONE, STATUS, ResourceQuota.class),
            type("", "v1", "Secret", "secrets", true, NONE, NONE, Set.of(), Secret.class),
            type("", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), NONE, Set.of("token"), ServiceAccount.class),
            type("", "v1", "Service", "services", true, List.of("svc"), ALL_CATEGORY, Set.of("status", "proxy"), Service.class),
            // apps/v1
            type("apps", "v1", "ControllerRevision", "controllerrevisions", true, NONE, NONE, Set.of(), ControllerRevision.class),
            type("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), ALL_CATEGORY, STATUS, DaemonSet.class),
            type("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), ALL_CATEGORY, STATUS_SCALE, Deployment.class),
            type("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), ALL_CATEGORY, STATUS_SCALE, ReplicaSet.class),
            type("apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), ALL_CATEGORY, STATUS_SCALE, StatefulSet.class),
            // events.k8s.io/v1
            type("events.k8s.io", "v1", "Event", "events", true, List.of("ev"), NONE, Set.of(),
                    io.fabric8.kubernetes.api.model.events.v1.Event.class),
            // autoscaling/v2
            type("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"), ALL_CATEGORY, STATUS,
                    HorizontalPodAutoscaler.class),
            // batch/v1
            type("batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), ALL_CATEGORY, STATUS, CronJob.class),
            type("batch", "v1", "Job", "jobs", true, NONE, ALL_CATEGORY, STATUS, Job.class),
            // coordination.k8s.io/v1
            type("coordination.k8s.io", "v1", "Lease", "leases", true, NONE, NONE, Set.of(), Lease.class),
            // discovery.k8s.io/v1
            type("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, NONE, NONE, Set.of(), EndpointSlice.class),
            // networking.k8s.io/v1
            type("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, NONE, NONE, Set.of(), IngressClass.class),
            type("networking.k8s.io", "v1", "Ingress", "ingresses", true, List.of("ing"), NONE, STATUS, Ingress.class),
            type("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, List.of("netpol"), NONE, Set.of(), NetworkPolicy.class),
            // node.k8s.io/v1
            type("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false, NONE, NONE, Set.of(), RuntimeClass.class),
            // policy/v1
            type("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), NONE, STATUS, PodDisruptionBudget.class),
            // rbac.authorization.k8s.io/v1
            type("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, NONE, NONE, Set.of(), ClusterRoleBinding.class),
            type("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, NONE, NONE, Set.of(), ClusterRole.class),
            type("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, NONE, NONE, Set.of(), RoleBinding.class),
            type("rbac.authorization.k8s.io", "v1", "Role", "roles", true, NONE, NONE, Set.of(), Role.class),
            // storage.k8s.io/v1
            type("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, List.of("sc"), NONE, Set.of(), StorageClass.class),
            // scheduling.k8s.io/v1
            type("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, List.of("pc"), NONE, Set.of(), PriorityClass.class),
            // apiextensions.k8s.io/v1
            type("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, List.of("crd", "crds"),
                    NONE, STATUS, CustomResourceDefinition.class));

    private BuiltinTypes() {}
}
