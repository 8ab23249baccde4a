package io.capstan.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.PersistentVolumes;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.controllers.volume.LocalPathProvisioner;
import io.capstan.network.ingress.IngressClasses;
import java.util.List;

/**
 * What every cluster has from its first start: the system namespaces, the system PriorityClasses,
 * the default StorageClass local-path (as k3s ships one), the default IngressClass capstan (the nodes' built-in
 * Ingress) and the default RBAC policy.
 */
final class Bootstrap {

    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final GenericRegistry registry;
    private final ResourceRegistry types;
    private final ResourceType namespaces;
    private final ResourceType priorityClasses;
    private final ResourceType storageClasses;
    private final RbacBootstrap rbac;

    Bootstrap(GenericRegistry registry, ResourceRegistry types) {
        this.registry = registry;
        this.types = types;
        this.namespaces = types.find("", "v1", "namespaces").orElseThrow();
        this.priorityClasses = types.find("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
        this.storageClasses = types.find("storage.k8s.io", "v1", "storageclasses").orElseThrow();
        this.rbac = new RbacBootstrap(registry, types);
    }

    void run() {
        for (String name : NAMESPACES) {
            ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", name);
            ensure(namespaces, ns);
        }
        ensure(priorityClasses, priorityClass("system-node-critical", 2000001000,
                "Used for system critical pods that must not be moved from their current node."));
        ensure(priorityClasses, priorityClass("system-cluster-critical", 2000000000,
                "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."));
        ensure(storageClasses, localPath());
        ensure(types.find("node.k8s.io", "v1", "runtimeclasses").orElseThrow(), processRuntimeClass());
        ensure(types.find("networking.k8s.io", "v1", "ingressclasses").orElseThrow(), IngressClasses.defaultClass());
        rbac.run();
    }

    /** RuntimeClass "process": pods that name it run their commands straight on the host (the agent's process handler). */
    private static ObjectNode processRuntimeClass() {
        ObjectNode rc = Json.object().put("apiVersion", "node.k8s.io/v1").put("kind", "RuntimeClass");
        rc.putObject("metadata").put("name", "process");
        return rc.put("handler", "process");
    }

    private void ensure(ResourceType type, ObjectNode obj) {
        if (registry.find(type, "", Json.text(obj, "metadata", "name")).isPresent()) {
            return;
        }
        try {
            registry.create(type, "", obj, false);
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    /** Volumes as directories on the node that runs the first pod using the claim, deleted with the claim. */
    static ObjectNode localPath() {
        ObjectNode sc = Json.object().put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
        sc.putObject("metadata").put("name", "local-path").putObject("annotations").put(PersistentVolumes.DEFAULT_CLASS, "true");
        return sc.put("provisioner", LocalPathProvisioner.NAME).put("reclaimPolicy", "Delete")
                .put("volumeBindingMode", PersistentVolumes.WAIT_FOR_FIRST_CONSUMER);
    }

    /** The built-in classes as kube-apiserver creates them (pkg/apis/scheduling SystemPriorityClasses). */
    private static ObjectNode priorityClass(String name, int value, String description) {
        ObjectNode pc = Json.object().put("apiVersion", "scheduling.k8s.io/v1").put("kind", "PriorityClass");
        pc.putObject("metadata").put("name", name);
        return pc.put("value", value).put("globalDefault", false).put("description", description)
                .put("preemptionPolicy", "PreemptLowerPriority");
    }
}
