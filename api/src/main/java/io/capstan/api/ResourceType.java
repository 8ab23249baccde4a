package io.capstan.api;

import java.util.List;
import java.util.Set;

/**
 * One kind served by the API: its REST mapping and what the server does with it.
 *
 * @param group API group ("" for the core group)
 * @param version API version, e.g. "v1"
 * @param kind the kind, e.g. "Deployment"
 * @param plural the REST resource name, e.g. "deployments"
 * @param singular the singular name, e.g. "deployment"
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl's short names, e.g. ["deploy"]
 * @param categories e.g. ["all"]
 * @param subresources served subresources, e.g. ["status", "scale"]
 * @param modelClass the fabric8 model class used to check field names and types (null for custom kinds)
 * @param custom what a CustomResourceDefinition says of a custom kind (null for built-in kinds)
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        Set<String> subresources,
        Class<?> modelClass,
        CustomKind custom) {

    /** A built-in kind. */
    public ResourceType(String group, String version, String kind, String plural, String singular, boolean namespaced,
                        List<String> shortNames, List<String> categories, Set<String> subresources, Class<?> modelClass) {
        this(group, version, kind, plural, singular, namespaced, shortNames, categories, subresources, modelClass, null);
    }

    /** The verbs every served kind supports. */
    public static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** The resource metrics API (as metrics-server serves it): read live from the agents, never stored. */
    public static final String METRICS_GROUP = "metrics.k8s.io";

    /**
     * The verbs this kind serves: all of them, but namespaces cannot be deleted as a collection (as in Kubernetes)
     * and resource metrics can only be read.
     */
    public List<String> verbs() {
        if (group.equals(METRICS_GROUP)) {
            return List.of("get", "list");
        }
        return group.isEmpty() && plural.equals("namespaces")
                ? VERBS.stream().filter(v -> !v.equals("deletecollection")).toList() : VERBS;
    }

    /** "apps/v1", or "v1" for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "deployments.apps", or "pods" for the core group: how Kubernetes names a resource in messages. */
    public String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** "Deployment.apps", or "Pod" for the core group: how Kubernetes names a kind in Invalid messages. */
    public String qualifiedKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    /** The kind of the list, e.g. "DeploymentList" (a custom kind may name its own). */
    public String listKind() {
        return custom != null ? custom.listKind() : kind + "List";
    }

    /** Whether the status subresource is served (status is then written only through it). */
    public boolean hasStatus() {
        return subresources.contains("status");
    }

    /** Whether the scale subresource is served. */
    public boolean hasScale() {
        return subresources.contains("scale");
    }
}
