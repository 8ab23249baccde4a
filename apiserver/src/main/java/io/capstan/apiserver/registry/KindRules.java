package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.apiserver.registry.service.ServiceFields;
import java.util.Set;

/** The per-kind parts of kube-apiserver's storage strategies: generation tracking and status on create. */
final class KindRules {

    /** Kinds whose metadata.generation counts spec changes (custom kinds always do). */
    private static final Set<String> GENERATION = Set.of(
            "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
            "horizontalpodautoscalers.autoscaling", "poddisruptionbudgets.policy", "ingresses.networking.k8s.io",
            "networkpolicies.networking.k8s.io", "customresourcedefinitions.apiextensions.k8s.io", "replicationcontrollers",
            "pods");

    /** Kinds that keep the status a client sends on create (the kubelet creates Nodes with status). */
    private static final Set<String> KEEP_STATUS_ON_CREATE = Set.of("nodes", "namespaces", "events", "events.events.k8s.io");

    private KindRules() {}

    static boolean tracksGeneration(ResourceType type) {
        return type.modelClass() == null || GENERATION.contains(type.qualifiedResource());
    }

    /** Clears what a create may not set: status of kinds that own it through a subresource. */
    static void prepareStatusForCreate(ResourceType type, ObjectNode obj) {
        if (!type.hasStatus() || KEEP_STATUS_ON_CREATE.contains(type.qualifiedResource())) {
            return;
        }
        obj.remove("status");
        switch (type.qualifiedResource()) {
            case "pods" -> Json.with(obj, "status").put("phase", "Pending").put("qosClass", qosClass(obj));
            case "persistentvolumeclaims", "persistentvolumes" -> Json.with(obj, "status").put("phase", "Pending");
            case "services" -> Json.with(obj, "status").putObject("loadBalancer");
            default -> { }
        }
    }

    /**
     * Keeps what the server allocated when an update leaves it out (a Service's cluster IPs and node ports) and wipes
     * what a type change leaves without meaning, as kube-apiserver's service storage does.
     */
    static void keepAllocatedValues(ResourceType type, ObjectNode next, ObjectNode old) {
        if (type.qualifiedResource().equals("services")) {
            ServiceFields.prepareForUpdate(next, old);
        }
    }

    /** Everything but metadata and status: what a spec change means for generation. */
    static boolean specChanged(ObjectNode next, ObjectNode old) {
        ObjectNode a = next.deepCopy();
        ObjectNode b = old.deepCopy();
        for (ObjectNode o : new ObjectNode[] {a, b}) {
            o.remove("metadata");
            o.remove("status");
            o.remove("apiVersion");
            o.remove("kind");
        }
        return !a.equals(b);
    }

    /** A pod's QoS class, from its containers' requests and limits, as Kubernetes computes it. */
    static String qosClass(ObjectNode pod) {
        JsonNode containers = Json.at(pod, "spec", "containers");
        if (containers == null || !containers.isArray() || containers.isEmpty()) {
            return "BestEffort";
        }
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : containers) {
            JsonNode requests = Json.at(c, "resources", "requests");
            JsonNode limits = Json.at(c, "resources", "limits");
            for (String r : new String[] {"cpu", "memory"}) {
                JsonNode req = requests == null ? null : requests.get(r);
                JsonNode lim = limits == null ? null : limits.get(r);
                any |= req != null || lim != null;
                if (lim == null || (req != null && !req.asText().equals(lim.asText()))) {
                    guaranteed = false;
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
