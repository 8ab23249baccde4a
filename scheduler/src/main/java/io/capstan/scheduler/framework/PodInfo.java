package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.PodResources;
import java.util.Map;

/**
 * What scheduling needs to know of a pod, read once from its JSON.
 *
 * @param requests milli-units per resource
 * @param priority spec.priority (0 when unset)
 * @param controllerUid the uid of the owner with controller: true ("" when none), to spread a workload's pods
 * @param affinity the pod's inter-pod (anti-)affinity terms
 * @param terminating whether the pod has a deletionTimestamp
 * @param created metadata.creationTimestamp as text (RFC 3339 sorts as text), to order preemption victims
 */
public record PodInfo(String namespace, String name, String uid, Map<String, String> labels, Map<String, Long> requests,
                      String nodeName, int priority, JsonNode spec, String controllerUid, PodAffinity affinity, boolean terminating,
                      String created) {

    public static PodInfo of(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        String controller = "";
        for (JsonNode ref : meta.path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                controller = ref.path("uid").asText("");
            }
        }
        return new PodInfo(meta.path("namespace").asText(""), meta.path("name").asText(), meta.path("uid").asText(),
                Json.labels(pod), PodResources.requests(pod), spec.path("nodeName").asText(""), spec.path("priority").asInt(0), spec,
                controller, PodAffinity.of(spec, meta.path("namespace").asText("")), meta.hasNonNull("deletionTimestamp"),
                meta.path("creationTimestamp").asText(""));
    }

    /** The same pod placed on a node. */
    public PodInfo on(String node) {
        return new PodInfo(namespace, name, uid, labels, requests, node, priority, spec, controllerUid, affinity, terminating, created);
    }

    /** Kubernetes' non-zero defaults for pods that request nothing. */
    public static final long DEFAULT_CPU_MILLI = 100;
    public static final long DEFAULT_MEMORY_MILLI = 200L * 1024 * 1024 * 1000;

    public long nonZeroCpu() {
        long v = requests.getOrDefault("cpu", 0L);
        return v == 0 ? DEFAULT_CPU_MILLI : v;
    }

    public long nonZeroMemory() {
        long v = requests.getOrDefault("memory", 0L);
        return v == 0 ? DEFAULT_MEMORY_MILLI : v;
    }

    /** Whether the pod may evict lower-priority pods (spec.preemptionPolicy is not Never). */
    public boolean mayPreempt() {
        return !spec.path("preemptionPolicy").asText("").equals("Never");
    }

    public boolean hasRequiredAntiAffinity() {
        return !affinity.requiredAntiAffinity().isEmpty();
    }

    public String key() {
        return namespace + "/" + name;
    }
}
