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
 */
public record PodInfo(String namespace, String name, String uid, Map<String, String> labels, Map<String, Long> requests,
                      String nodeName, int priority, JsonNode spec) {

    public static PodInfo of(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        return new PodInfo(meta.path("namespace").asText(""), meta.path("name").asText(), meta.path("uid").asText(),
                Json.labels(pod), PodResources.requests(pod), spec.path("nodeName").asText(""), spec.path("priority").asInt(0), spec);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
