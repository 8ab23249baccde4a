package io.capstan.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.controllers.Revisions;
import java.util.Comparator;
import java.util.List;

/** What the Deployment controller reads off its ReplicaSets: revisions, template hashes, sizes. */
final class ReplicaSets {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String HASH_LABEL = "pod-template-hash";

    static final Comparator<JsonNode> OLDEST_FIRST = Comparator
            .comparing((JsonNode rs) -> rs.path("metadata").path("creationTimestamp").asText(""))
            .thenComparing(rs -> rs.path("metadata").path("name").asText());

    private ReplicaSets() {}

    static long revision(JsonNode rs) {
        try {
            return Long.parseLong(rs.path("metadata").path("annotations").path(REVISION).asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static int specReplicas(JsonNode rs) {
        return rs.path("spec").path("replicas").asInt(0);
    }

    static int sum(List<? extends JsonNode> sets, String statusField) {
        return sets.stream().mapToInt(rs -> rs.path("status").path(statusField).asInt(0)).sum();
    }

    static int sumSpec(List<? extends JsonNode> sets) {
        return sets.stream().mapToInt(ReplicaSets::specReplicas).sum();
    }

    /** Whether the ReplicaSet's template is the Deployment's, ignoring the pod-template-hash label. */
    static boolean sameTemplate(JsonNode rsTemplate, JsonNode deploymentTemplate) {
        return canonical(withoutHash(rsTemplate)).equals(canonical(withoutHash(deploymentTemplate)));
    }

    static ObjectNode withoutHash(JsonNode template) {
        ObjectNode t = template.isObject() ? ((ObjectNode) template).deepCopy() : Json.object();
        JsonNode labels = t.path("metadata").path("labels");
        if (labels.isObject()) {
            ((ObjectNode) labels).remove(HASH_LABEL);
            if (labels.isEmpty()) {
                ((ObjectNode) t.get("metadata")).remove("labels");
            }
        }
        return t;
    }

    /** The pod-template-hash: the shared revision hash of the template (without its own label) and collision count. */
    static String templateHash(JsonNode template, int collisionCount) {
        return Revisions.hash(withoutHash(template), collisionCount > 0 ? collisionCount : null);
    }

    /** JSON with object keys sorted and null fields left out, so trees Go would decode alike print alike. */
    static String canonical(JsonNode node) {
        return Revisions.canonical(node);
    }
}
