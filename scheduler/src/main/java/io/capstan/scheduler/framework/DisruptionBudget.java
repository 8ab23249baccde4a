package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.LabelSelector;
import java.util.HashSet;
import java.util.Set;

/** What preemption needs of a PodDisruptionBudget: whose pods it guards and how many may go now. */
public record DisruptionBudget(String namespace, LabelSelector selector, int disruptionsAllowed, Set<String> disruptedPods) {

    public static DisruptionBudget of(JsonNode pdb) {
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(pdb.path("spec").get("selector"));
        } catch (IllegalArgumentException e) {
            selector = LabelSelector.nothing();
        }
        Set<String> disrupted = new HashSet<>();
        pdb.path("status").path("disruptedPods").fieldNames().forEachRemaining(disrupted::add);
        return new DisruptionBudget(pdb.path("metadata").path("namespace").asText(""), selector,
                pdb.path("status").path("disruptionsAllowed").asInt(0), disrupted);
    }

    /** A nil or empty selector guards nothing, as Kubernetes' preemption reads it. */
    boolean guards(PodInfo pod) {
        return pod.namespace().equals(namespace) && !selector.isEverything() && !pod.labels().isEmpty() && selector.matches(pod.labels());
    }
}
