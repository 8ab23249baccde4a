package io.capstan.api.quota;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Quantities;
import io.capstan.api.ResourceType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A ResourceQuota's arithmetic: its hard limits, which objects it counts, their usage and Kubernetes' refusal text. */
public final class Quotas {

    private Quotas() {}

    /** spec.hard in milli-units (an unreadable amount counts as 0). */
    public static Map<String, Long> hard(JsonNode quota) {
        Map<String, Long> hard = new LinkedHashMap<>();
        quota.path("spec").path("hard").properties().forEach(e -> {
            try {
                hard.put(e.getKey(), Quantities.milli(e.getValue().asText()));
            } catch (IllegalArgumentException ignored) {
                hard.put(e.getKey(), 0L);
            }
        });
        return hard;
    }

    /** Whether the quota counts obj: it names one of the type's usages and, when scoped, only pods in every scope. */
    public static boolean counts(JsonNode quota, ResourceType type, JsonNode obj) {
        if (!QuotaUsage.covers(type, hard(quota).keySet())) {
            return false;
        }
        JsonNode scopes = quota.path("spec").path("scopes");
        if (scopes.isEmpty()) {
            return true;
        }
        if (!type.qualifiedResource().equals("pods")) {
            return false;
        }
        for (JsonNode scope : scopes) {
            if (!QuotaUsage.inScope(scope.asText(), obj)) {
                return false;
            }
        }
        return true;
    }

    /** The quota's used amounts over objects of type, for the hard names those objects use. */
    public static Map<String, Long> used(JsonNode quota, ResourceType type, Iterable<? extends JsonNode> objects) {
        Map<String, Long> sum = new HashMap<>();
        for (JsonNode obj : objects) {
            if (counts(quota, type, obj)) {
                QuotaUsage.add(sum, QuotaUsage.of(type, obj));
            }
        }
        return masked(sum, hard(quota));
    }

    /**
     * Kubernetes' refusal when adding requested to used passes a hard limit:
     * "exceeded quota: NAME, requested: cpu=500m, used: cpu=1, limited: cpu=1"; empty when it fits.
     */
    public static Optional<String> exceeded(String quotaName, Map<String, Long> hard, Map<String, Long> used, Map<String, Long> requested) {
        Map<String, Long> request = new TreeMap<>();
        Map<String, Long> usedNow = new TreeMap<>();
        Map<String, Long> limited = new TreeMap<>();
        masked(requested, hard).forEach((name, amount) -> {
            long already = used.getOrDefault(name, 0L);
            if (already + amount > hard.get(name)) {
                request.put(name, amount);
                usedNow.put(name, already);
                limited.put(name, hard.get(name));
            }
        });
        if (request.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("exceeded quota: " + quotaName + ", requested: " + QuotaUsage.pretty(request) + ", used: "
                + QuotaUsage.pretty(usedNow) + ", limited: " + QuotaUsage.pretty(limited));
    }

    /** The entries of amounts whose names are in hard. */
    private static Map<String, Long> masked(Map<String, Long> amounts, Map<String, Long> hard) {
        Map<String, Long> out = new TreeMap<>();
        hard.keySet().forEach(name -> {
            if (amounts.containsKey(name)) {
                out.put(name, amounts.get(name));
            }
        });
        return out;
    }
}
