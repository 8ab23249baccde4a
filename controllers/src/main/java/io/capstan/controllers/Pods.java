package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.PodResources;
import java.time.Instant;

/** How controllers judge a pod: active, ready, available (ready for minReadySeconds). */
public final class Pods {

    private Pods() {}

    /** Neither finished nor being deleted: it counts towards replicas. */
    public static boolean active(JsonNode pod) {
        return !PodResources.terminal(pod) && !pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    public static boolean ready(JsonNode pod) {
        return readySince(pod) != null;
    }

    /** When the Ready condition became True, or null when the pod is not ready. */
    public static Instant readySince(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                if (!c.path("status").asText().equals("True")) {
                    return null;
                }
                String t = c.path("lastTransitionTime").asText("");
                try {
                    return t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
                } catch (RuntimeException e) {
                    return Instant.EPOCH;
                }
            }
        }
        return null;
    }

    /** Ready for at least minReadySeconds at now. */
    public static boolean available(JsonNode pod, int minReadySeconds, Instant now) {
        Instant since = readySince(pod);
        return since != null && (minReadySeconds == 0 || !since.plusSeconds(minReadySeconds).isAfter(now));
    }
}
