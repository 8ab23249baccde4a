package io.capstan.api;

/** The built-in kinds components read and write, by name, so none of them spells a REST mapping twice. */
public final class Kinds {

    private static final ResourceRegistry BUILTINS = ResourceRegistry.withBuiltins();

    public static final ResourceType NAMESPACES = builtin("", "namespaces");
    public static final ResourceType NODES = builtin("", "nodes");
    public static final ResourceType PODS = builtin("", "pods");
    public static final ResourceType EVENTS = builtin("", "events");
    public static final ResourceType SERVICES = builtin("", "services");
    public static final ResourceType ENDPOINTS = builtin("", "endpoints");
    public static final ResourceType ENDPOINT_SLICES = builtin("discovery.k8s.io", "endpointslices");
    public static final ResourceType PERSISTENT_VOLUME_CLAIMS = builtin("", "persistentvolumeclaims");
    public static final ResourceType SECRETS = builtin("", "secrets");
    public static final ResourceType CONFIG_MAPS = builtin("", "configmaps");
    public static final ResourceType SERVICE_ACCOUNTS = builtin("", "serviceaccounts");
    public static final ResourceType LIMIT_RANGES = builtin("", "limitranges");
    public static final ResourceType RESOURCE_QUOTAS = builtin("", "resourcequotas");
    public static final ResourceType PERSISTENT_VOLUMES = builtin("", "persistentvolumes");
    public static final ResourceType RUNTIME_CLASSES = builtin("node.k8s.io", "runtimeclasses");
    public static final ResourceType LEASES = builtin("coordination.k8s.io", "leases");
    public static final ResourceType DEPLOYMENTS = builtin("apps", "deployments");
    public static final ResourceType REPLICA_SETS = builtin("apps", "replicasets");
    public static final ResourceType STATEFUL_SETS = builtin("apps", "statefulsets");
    public static final ResourceType DAEMON_SETS = builtin("apps", "daemonsets");
    public static final ResourceType CONTROLLER_REVISIONS = builtin("apps", "controllerrevisions");
    public static final ResourceType JOBS = builtin("batch", "jobs");
    public static final ResourceType CRON_JOBS = builtin("batch", "cronjobs");
    public static final ResourceType NETWORK_POLICIES = builtin("networking.k8s.io", "networkpolicies");
    public static final ResourceType INGRESSES = builtin("networking.k8s.io", "ingresses");
    public static final ResourceType INGRESS_CLASSES = builtin("networking.k8s.io", "ingressclasses");
    public static final ResourceType POD_DISRUPTION_BUDGETS = builtin("policy", "poddisruptionbudgets");
    public static final ResourceType CLUSTER_ROLES = builtin("rbac.authorization.k8s.io", "clusterroles");
    public static final ResourceType PRIORITY_CLASSES = builtin("scheduling.k8s.io", "priorityclasses");
    public static final ResourceType STORAGE_CLASSES = builtin("storage.k8s.io", "storageclasses");

    private Kinds() {}

    private static ResourceType builtin(String group, String plural) {
        return BUILTINS.all().stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no built-in kind " + plural + " in group '" + group + "'"));
    }
}
