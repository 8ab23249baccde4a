package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A pod's inter-pod affinity and anti-affinity terms, required and preferred, parsed once. */
public record PodAffinity(List<AffinityTerm> requiredAffinity, List<AffinityTerm> requiredAntiAffinity,
                          List<AffinityTerm> preferredAffinity, List<AffinityTerm> preferredAntiAffinity) {

    public static final PodAffinity NONE = new PodAffinity(List.of(), List.of(), List.of(), List.of());

    static PodAffinity of(JsonNode spec, String namespace) {
        JsonNode a = spec.path("affinity");
        JsonNode aff = a.path("podAffinity");
        JsonNode anti = a.path("podAntiAffinity");
        if (aff.isMissingNode() && anti.isMissingNode()) {
            return NONE;
        }
        String req = "requiredDuringSchedulingIgnoredDuringExecution";
        String pref = "preferredDuringSchedulingIgnoredDuringExecution";
        PodAffinity p = new PodAffinity(AffinityTerm.required(aff.path(req), namespace), AffinityTerm.required(anti.path(req), namespace),
                AffinityTerm.preferred(aff.path(pref), namespace), AffinityTerm.preferred(anti.path(pref), namespace));
        return p.isEmpty() ? NONE : p;
    }

    public boolean isEmpty() {
        return requiredAffinity.isEmpty() && requiredAntiAffinity.isEmpty() && preferredAffinity.isEmpty() && preferredAntiAffinity.isEmpty();
    }

    public boolean hasPreferred() {
        return !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }
}
