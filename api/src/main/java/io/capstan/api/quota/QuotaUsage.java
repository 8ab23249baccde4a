package io.capstan.api.quota;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.PodResources;
import io.capstan.api.Quantities;
import io.capstan.api.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one object counts against a ResourceQuota, in milli-units per quota resource name, as Kubernetes 1.32's quota
 * evaluators (pkg/quota/v1/evaluator/core) count it: object counts ("pods", "count/deployments.apps"), pod compute
 * ("requests.cpu", "limits.memory", bare "cpu" = requests) and claim storage.
 */
public final class QuotaUsage {

    /** Legacy object-count names Kubernetes keeps beside count/RESOURCE. */
    private static final Set<String> LEGACY_COUNTS = Set.of("pods", "services", "configmaps", "secrets", "persistentvolumeclaims",
            "replicationcontrollers", "resourcequotas");
    /** The compute names a quota on which makes every container state its own value (Kubernetes' validationSet). */
    private static final List<String> EXPLICIT = List.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");

    private QuotaUsage() {}

    /** The count name of type: count/pods for core, count/deployments.apps for a group. */
    public static String countName(ResourceType type) {
        return "count/" + type.qualifiedResource();
    }

    /** The usage of obj of type; empty for pods that have finished (they hold nothing). */
    public static Map<String, Long> of(ResourceType type, JsonNode obj) {
        Map<String, Long> usage = new HashMap<>();
        String resource = type.qualifiedResource();
        if (resource.equals("pods") && PodResources.terminal(obj)) {
            return usage;
        }
        usage.put(countName(type), 1000L);
        if (LEGACY_COUNTS.contains(resource)) {
            usage.put(resource, 1000L);
        }
        switch (resource) {
            case "pods" -> podCompute(obj, usage);
            case "services" -> {
                String serviceType = obj.path("spec").path("type").asText("ClusterIP");
                if (serviceType.equals("LoadBalancer")) {
                    usage.put("services.loadbalancers", 1000L);
                }
                if (serviceType.equals("LoadBalancer") || serviceType.equals("NodePort")) {
                    usage.put("services.nodeports", 1000L * obj.path("spec").path("ports").size());
                }
            }
            case "persistentvolumeclaims" -> {
                String storage = obj.path("spec").path("resources").path("requests").path("storage").asText("");
                if (!storage.isEmpty()) {
                    usage.put("requests.storage", milli(storage));
                }
            }
            default -> { }
        }
        return usage;
    }

    /** Whether the quota counts objects of type at all (it names one of the type's usage names). */
    public static boolean covers(ResourceType type, Set<String> hard) {
        String resource = type.qualifiedResource();
        if (hard.contains(countName(type)) || hard.contains(resource) && LEGACY_COUNTS.contains(resource)) {
            return true;
        }
        return switch (resource) {
            case "pods" -> hard.stream().anyMatch(QuotaUsage::isPodCompute);
            case "services" -> hard.contains("services.loadbalancers") || hard.contains("services.nodeports");
            case "persistentvolumeclaims" -> hard.contains("requests.storage");
            default -> false;
        };
    }

    /** Pod compute names: cpu, memory, ephemeral-storage, requests.X, limits.X. */
    private static boolean isPodCompute(String name) {
        return name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")
                || name.startsWith("requests.") && !name.equals("requests.storage") || name.startsWith("limits.");
    }

    /**
     * Kubernetes' "must specify limits.cpu for: c" check: when the quota names cpu or memory requests or limits,
     * every container must state them. Empty when nothing is missing.
     */
    public static String missing(JsonNode pod, Set<String> hard) {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                JsonNode resources = c.path("resources");
                for (String name : EXPLICIT) {
                    if (!hard.contains(name)) {
                        continue;
                    }
                    String section = name.startsWith("limits.") ? "limits" : "requests";
                    String resource = name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
                    if (!resources.path(section).has(resource)) {
                        missing.computeIfAbsent(name, k -> new TreeSet<>()).add(c.path("name").asText(""));
                    }
                }
            }
        }
        List<String> parts = missing.entrySet().stream().map(e -> e.getKey() + " for: " + String.join(",", e.getValue())).sorted().toList();
        return parts.isEmpty() ? "" : "must specify " + String.join("; ", parts);
    }

    /** Whether the pod falls in the quota's scope (Terminating, NotTerminating, BestEffort, NotBestEffort; others match all). */
    public static boolean inScope(String scope, JsonNode pod) {
        boolean terminating = pod.path("spec").hasNonNull("activeDeadlineSeconds");
        return switch (scope) {
            case "Terminating" -> terminating;
            case "NotTerminating" -> !terminating;
            case "BestEffort" -> bestEffort(pod);
            case "NotBestEffort" -> !bestEffort(pod);
            default -> true;
        };
    }

    /** No container (init or regular) asks for or limits anything. */
    static boolean bestEffort(JsonNode pod) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (!c.path("resources").path("requests").isEmpty() || !c.path("resources").path("limits").isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Adds b into a. */
    public static void add(Map<String, Long> a, Map<String, Long> b) {
        b.forEach((k, v) -> a.merge(k, v, Long::sum));
    }

    /** "cpu=500m,pods=1": sorted names with their amounts, Kubernetes' prettyPrint. */
    public static String pretty(Map<String, Long> amounts) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(amounts).forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(QuantityText.of(v)));
        return out.toString();
    }

    private static void podCompute(JsonNode pod, Map<String, Long> usage) {
        Map<String, Long> requests = PodResources.requests(pod);
        Map<String, Long> limits = PodResources.limits(pod);
        requests.forEach((name, amount) -> {
            usage.put("requests." + name, amount);
            if (name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")) {
                usage.put(name, amount);
            }
        });
        limits.forEach((name, amount) -> usage.put("limits." + name, amount));
    }

    private static long milli(String quantity) {
        try {
            return Quantities.milli(quantity);
        } catch (IllegalArgumentException e) {
            return 0; // validation refuses bad quantities; an old stored one counts as nothing
        }
    }
}
