package io.capstan.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.controllers.Pods;
import java.time.Instant;
import java.util.Comparator;

/**
 * The order in which a ReplicaSet gives up pods when it scales down, after Kubernetes'
 * ActivePods ranking: unscheduled before scheduled, pending before running, not ready before
 * ready, lower pod-deletion-cost first, more restarts first, newer before older.
 */
final class PodRanking {

    static final Comparator<JsonNode> DELETE_FIRST = Comparator
            .comparing((JsonNode p) -> !p.path("spec").path("nodeName").asText("").isEmpty())
            .thenComparing(p -> phaseRank(p.path("status").path("phase").asText("")))
            .thenComparing(Pods::ready)
            .thenComparing(PodRanking::deletionCost)
            .thenComparing(Comparator.comparing(PodRanking::readySince).reversed())
            .thenComparing(Comparator.comparing(PodRanking::restarts).reversed())
            .thenComparing(Comparator.comparing((JsonNode p) -> p.path("metadata").path("creationTimestamp").asText("")).reversed());

    private PodRanking() {}

    private static int phaseRank(String phase) {
        return switch (phase) {
            case "Pending", "" -> 0;
            case "Unknown" -> 1;
            default -> 2;
        };
    }

    private static int deletionCost(JsonNode pod) {
        try {
            return Integer.parseInt(pod.path("metadata").path("annotations").path("controller.kubernetes.io/pod-deletion-cost").asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant readySince(JsonNode pod) {
        Instant t = Pods.readySince(pod);
        return t == null ? Instant.EPOCH : t;
    }

    private static int restarts(JsonNode pod) {
        int n = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            n = Math.max(n, c.path("restartCount").asInt(0));
        }
        return n;
    }
}
