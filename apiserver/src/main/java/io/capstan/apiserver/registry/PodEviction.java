package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.store.KeyValue;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The pods/eviction subresource, as `kubectl drain` uses it: a pod covered by a
 * PodDisruptionBudget is deleted only while the budget allows a disruption, which the eviction
 * then spends; otherwise 429, and the caller retries.
 */
public final class PodEviction {

    private final GenericRegistry registry;
    private final ResourceType pods;
    private final ResourceType budgets;
    private final Clock clock;

    public PodEviction(GenericRegistry registry, ResourceRegistry types, Clock clock) {
        this.registry = registry;
        this.pods = types.find("", "v1", "pods").orElseThrow();
        this.budgets = types.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        this.clock = clock;
    }

    public void evict(String namespace, String name, DeleteOptions options) {
        ObjectNode pod = registry.get(pods, namespace, name);
        String phase = Json.text(pod, "status", "phase");
        boolean unprotected = Json.at(pod, "metadata", "deletionTimestamp") != null
                || "Succeeded".equals(phase) || "Failed".equals(phase) || "Pending".equals(phase);
        if (!unprotected) {
            List<ObjectNode> covering = covering(namespace, pod);
            if (covering.size() > 1) {
                throw StatusException.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }
            if (covering.size() == 1) {
                spendDisruption(namespace, covering.getFirst(), name);
            }
        }
        registry.delete(pods, namespace, name, options);
    }

    private List<ObjectNode> covering(String namespace, ObjectNode pod) {
        List<ObjectNode> found = new ArrayList<>();
        for (KeyValue kv : registry.store().range(Keys.prefix(budgets, namespace), null, 0, 0).items()) {
            ObjectNode pdb = ObjectCodec.decode(kv);
            JsonNode selector = Json.at(pdb, "spec", "selector");
            if (LabelSelector.fromJson(selector).matches(Json.labels(pod))) {
                found.add(pdb);
            }
        }
        return found;
    }

    private void spendDisruption(String namespace, ObjectNode pdb, String podName) {
        String pdbName = Json.text(pdb, "metadata", "name");
        registry.patch(budgets, namespace, pdbName, "status", current -> {
            ObjectNode status = Json.with(current, "status");
            if (status.path("observedGeneration").asLong(-1) < Json.at(current, "metadata", "generation").asLong(0)) {
                throw budgetExhausted(); // the budget's status is not yet computed for its current spec
            }
            int allowed = status.path("disruptionsAllowed").asInt(0);
            if (allowed <= 0) {
                throw budgetExhausted();
            }
            status.put("disruptionsAllowed", allowed - 1);
            Json.with(status, "disruptedPods").put(podName, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            return current;
        }, false);
    }

    /** Kubernetes' 429; kubectl drain prints the message and retries. (Its DisruptionBudget cause is left out.) */
    private static StatusException budgetExhausted() {
        return StatusException.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10);
    }
}
