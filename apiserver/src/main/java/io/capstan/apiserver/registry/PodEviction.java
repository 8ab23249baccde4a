package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * then spends; otherwise 429, and the caller retries. (The DisruptionBudget cause Kubernetes adds
 * to the 429 is left out: kubectl prints only the message.)
 */
public final class PodEviction {

    /** MaxDisruptedPodSize: more approved but unconfirmed evictions than this are refused. */
    static final int MAX_DISRUPTED_PODS = 2000;

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

    /**
     * Evicts the pod, as EvictionREST.Create does.
     *
     * @param bodyName metadata.name of the Eviction sent, which must name the pod of the URL
     */
    public void evict(String namespace, String name, String bodyName, DeleteOptions options) {
        if (!name.equals(bodyName)) {
            throw StatusException.badRequest("name in URL does not match name in Eviction object");
        }
        ObjectNode pod = registry.get(pods, namespace, name);
        String phase = Json.text(pod, "status", "phase");
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        boolean deleting = Json.at(pod, "metadata", "deletionTimestamp") != null;
        if (terminal || deleting || "Pending".equals(phase)) {
            // Nothing running to disrupt; a pending pod is pinned to the version read so it cannot turn ready meanwhile.
            registry.delete(pods, namespace, name, terminal || deleting ? options : pinned(options, pod));
            return;
        }
        List<ObjectNode> covering = covering(namespace, pod);
        if (covering.size() > 1) {
            // Kubernetes answers this as a bare 500 Status: the message alone, without "Internal error occurred".
            throw new StatusException(500, "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", null, null, null, List.of(), 0);
        }
        if (covering.isEmpty()) {
            registry.delete(pods, namespace, name, options);
            return;
        }
        ObjectNode pdb = covering.getFirst();
        JsonNode status = pdb.path("status");
        boolean ready = isReady(pod);
        if (!ready && status.path("currentHealthy").asInt(0) >= status.path("desiredHealthy").asInt(0)
                && status.path("desiredHealthy").asInt(0) > 0) {
            // An unready pod does not count as healthy, so removing it spends nothing, unless it turned ready meanwhile.
            try {
                registry.delete(pods, namespace, name, pinned(options, pod));
            } catch (StatusException e) {
                if (e.code() == 409 && options.preconditionResourceVersion() == null) {
                    throw stillProcessing(Json.text(pdb, "metadata", "name"));
                }
                throw e;
            }
            return;
        }
        spendDisruption(namespace, pdb, name, options.dryRun());
        registry.delete(pods, namespace, name, options);
    }

    private static DeleteOptions pinned(DeleteOptions options, ObjectNode pod) {
        if (options.preconditionResourceVersion() != null) {
            return options;
        }
        return new DeleteOptions(options.gracePeriodSeconds(), options.propagationPolicy(), options.preconditionUid(),
                Json.text(pod, "metadata", "resourceVersion"), options.dryRun());
    }

    private static boolean isReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** The budgets whose selector matches the pod; a nil or empty selector matches nothing here, as in Kubernetes. */
    private List<ObjectNode> covering(String namespace, ObjectNode pod) {
        List<ObjectNode> found = new ArrayList<>();
        for (KeyValue kv : registry.store().range(Keys.prefix(budgets, namespace), null, 0, 0).items()) {
            ObjectNode pdb = ObjectCodec.decode(kv);
            LabelSelector selector;
            try {
                selector = LabelSelector.fromJson(Json.at(pdb, "spec", "selector"));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!selector.isEverything() && selector.matches(Json.labels(pod))) {
                found.add(pdb);
            }
        }
        return found;
    }

    /** checkAndDecrement, retried on conflicts by the registry's patch. */
    private void spendDisruption(String namespace, ObjectNode pdb, String podName, boolean dryRun) {
        String pdbName = Json.text(pdb, "metadata", "name");
        registry.patch(budgets, namespace, pdbName, "status", current -> {
            ObjectNode status = Json.with(current, "status");
            if (status.path("observedGeneration").asLong(0) < Json.at(current, "metadata", "generation").asLong(0)) {
                throw stillProcessing(pdbName);
            }
            int allowed = status.path("disruptionsAllowed").asInt(0);
            if (allowed < 0) {
                throw forbidden(pdbName, "pdb disruptions allowed is negative");
            }
            if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
                throw forbidden(pdbName, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
            }
            if (allowed == 0) {
                throw StatusException.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 0);
            }
            status.put("disruptionsAllowed", allowed - 1);
            if (allowed - 1 == 0) {
                insufficientPods(status);
            }
            Json.with(status, "disruptedPods").put(podName, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            return current;
        }, dryRun);
    }

    /** UpdateDisruptionAllowedCondition once the last allowed disruption is spent. */
    private void insufficientPods(ObjectNode status) {
        ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode c = null;
        for (JsonNode existing : conditions) {
            if (existing.path("type").asText().equals("DisruptionAllowed")) {
                c = (ObjectNode) existing;
            }
        }
        if (c == null) {
            c = conditions.addObject().put("type", "DisruptionAllowed");
        }
        if (!"False".equals(c.path("status").asText())) {
            c.put("status", "False").put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        c.put("reason", "InsufficientPods").put("message", "").put("observedGeneration", status.path("observedGeneration").asLong(0));
    }

    private static StatusException forbidden(String pdbName, String why) {
        return new StatusException(403, "Forbidden", "poddisruptionbudget.policy \"" + pdbName + "\" is forbidden: " + why,
                pdbName, "policy", "poddisruptionbudget", List.of(), 0);
    }

    /** Kubernetes' 429 while a budget's status lags its spec; kubectl drain prints the message and retries. */
    private static StatusException stillProcessing(String pdbName) {
        return StatusException.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10);
    }
}
