package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.LabelSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pod (anti-)affinity term, parsed: which pods it selects (labels, and namespaces by name or
 * by namespaceSelector; neither means the owning pod's namespace), over which topology key, and
 * its weight when preferred.
 */
public record AffinityTerm(LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector, String topologyKey,
                           int weight) {

    /** Parses v1.PodAffinityTerm of a pod in {@code namespace}. */
    static AffinityTerm of(JsonNode term, String namespace, int weight) {
        Set<String> namespaces = new HashSet<>();
        term.path("namespaces").forEach(n -> namespaces.add(n.asText()));
        JsonNode nsSelector = term.get("namespaceSelector");
        if (namespaces.isEmpty() && (nsSelector == null || nsSelector.isNull())) {
            namespaces.add(namespace);
        }
        LabelSelector selector;
        LabelSelector nss;
        try {
            selector = LabelSelector.fromJson(term.get("labelSelector"));
            nss = LabelSelector.fromJson(nsSelector);
        } catch (IllegalArgumentException e) {
            selector = LabelSelector.nothing(); // an invalid selector matches nothing, as the scheduler treats it
            nss = LabelSelector.nothing();
        }
        return new AffinityTerm(selector, Set.copyOf(namespaces), nss, term.path("topologyKey").asText(""), weight);
    }

    /** Whether the pod is selected; {@code namespaceLabels} are the labels of the pod's namespace. */
    public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
        return (namespaces.contains(pod.namespace()) || namespaceSelector.matches(namespaceLabels)) && selector.matches(pod.labels());
    }

    static List<AffinityTerm> required(JsonNode terms, String namespace) {
        List<AffinityTerm> out = new ArrayList<>();
        terms.forEach(t -> out.add(of(t, namespace, 1)));
        return List.copyOf(out);
    }

    static List<AffinityTerm> preferred(JsonNode terms, String namespace) {
        List<AffinityTerm> out = new ArrayList<>();
        terms.forEach(t -> out.add(of(t.path("podAffinityTerm"), namespace, t.path("weight").asInt(0))));
        return List.copyOf(out);
    }
}
