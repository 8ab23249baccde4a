package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * What a pod asks of its node, as the scheduler counts it: the sum of its containers' requests,
 * or the largest init container's when that is more, plus overhead; in milli-units per resource.
 */
public final class PodResources {

    private PodResources() {}

    /** Requests per resource name ("cpu", "memory", ...) in milli-units. */
    public static Map<String, Long> requests(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        Map<String, Long> sum = new HashMap<>();
        for (JsonNode c : spec.path("containers")) {
            add(sum, c.path("resources").path("requests"));
        }
        Map<String, Long> sidecars = new HashMap<>();
        for (JsonNode c : spec.path("initContainers")) {
            Map<String, Long> one = new HashMap<>();
            add(one, c.path("resources").path("requests"));
            if ("Always".equals(c.path("restartPolicy").asText())) {
                add(sum, c.path("resources").path("requests")); // sidecars run beside the containers
                one.forEach((k, v) -> sidecars.merge(k, v, Long::sum));
            } else {
                // A plain init container runs alone, after the sidecars started before it.
                one.forEach((k, v) -> sum.merge(k, v + sidecars.getOrDefault(k, 0L), Math::max));
            }
        }
        add(sum, spec.path("overhead"));
        return sum;
    }

    /** Limits per resource name in milli-units: the containers' sum, or the largest init container's when that is more, plus overhead. */
    public static Map<String, Long> limits(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        Map<String, Long> sum = new HashMap<>();
        for (JsonNode c : spec.path("containers")) {
            add(sum, c.path("resources").path("limits"));
        }
        for (JsonNode c : spec.path("initContainers")) {
            Map<String, Long> one = new HashMap<>();
            add(one, c.path("resources").path("limits"));
            one.forEach((k, v) -> sum.merge(k, v, Math::max));
        }
        add(sum, spec.path("overhead"));
        return sum;
    }

    /** Whether the pod has finished (Succeeded or Failed) and so holds no resources. */
    public static boolean terminal(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    private static void add(Map<String, Long> into, JsonNode quantities) {
        quantities.properties().forEach(e -> {
            try {
                into.merge(e.getKey(), Quantities.milli(e.getValue().asText()), Long::sum);
            } catch (IllegalArgumentException ignored) {
                // validation refuses bad quantities; an old stored one counts as nothing
            }
        });
    }
}
