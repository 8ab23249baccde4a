package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.store.KeyValue;
import io.capstan.store.Store;

/**
 * The Priority admission plugin on pod create: spec.priority (and spec.preemptionPolicy) come from
 * the PriorityClass named in spec.priorityClassName, or from the globalDefault class when none is
 * named (the lowest value if several claim it), else 0.
 */
final class PodPriority {

    private PodPriority() {}

    static void admit(ObjectNode pod, Store store) {
        ObjectNode spec = Json.with(pod, "spec");
        String className = spec.path("priorityClassName").asText("");
        String name = Json.text(pod, "metadata", "name");
        JsonNode pc = className.isEmpty() ? globalDefault(store) : find(store, className);
        if (pc == null && !className.isEmpty()) {
            throw StatusException.forbidden("pods \"" + name + "\" is forbidden: no PriorityClass with name " + className + " was found");
        }
        int priority = pc == null ? 0 : pc.path("value").asInt(0);
        if (spec.hasNonNull("priority") && spec.get("priority").asInt() != priority) {
            throw StatusException.forbidden("pods \"" + name + "\" is forbidden: the integer value of priority (" + spec.get("priority").asInt()
                    + ") must not be provided in pod spec; priority admission controller computed " + priority
                    + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        if (pc != null && className.isEmpty()) {
            spec.put("priorityClassName", pc.path("metadata").path("name").asText());
        }
        String policy = pc == null ? "PreemptLowerPriority" : pc.path("preemptionPolicy").asText("PreemptLowerPriority");
        if (spec.hasNonNull("preemptionPolicy") && !spec.get("preemptionPolicy").asText().equals(policy)) {
            throw StatusException.forbidden("pods \"" + name + "\" is forbidden: the string value of PreemptionPolicy ("
                    + spec.get("preemptionPolicy").asText() + ") must not be provided in pod spec; priority admission controller computed "
                    + policy + " from the given PriorityClass name");
        }
        spec.put("preemptionPolicy", policy);
    }

    private static JsonNode find(Store store, String name) {
        return store.get(Keys.key(Kinds.PRIORITY_CLASSES, "", name)).map(ObjectCodec::decode).orElse(null);
    }

    private static JsonNode globalDefault(Store store) {
        JsonNode best = null;
        for (KeyValue kv : store.range(Keys.prefix(Kinds.PRIORITY_CLASSES, ""), null, 0, 0).items()) {
            ObjectNode pc = ObjectCodec.decode(kv);
            if (pc.path("globalDefault").asBoolean(false) && (best == null || pc.path("value").asInt() < best.path("value").asInt())) {
                best = pc;
            }
        }
        return best;
    }
}
