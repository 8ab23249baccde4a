package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The pods/binding subresource: assigns a pending pod to a node, once, and marks it PodScheduled. */
public final class PodBinding {

    private final GenericRegistry registry;
    private final ResourceType pods;
    private final Clock clock;

    public PodBinding(GenericRegistry registry, ResourceRegistry types, Clock clock) {
        this.registry = registry;
        this.pods = types.find("", "v1", "pods").orElseThrow();
        this.clock = clock;
    }

    /** Binds the pod to the Binding's target node; a pod already bound or being deleted is a 409, as Kubernetes answers. */
    public void bind(String namespace, String name, JsonNode binding) {
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw StatusException.invalid("Binding", "", "Binding", name,
                    List.of(io.capstan.api.FieldError.required("target.name", "")));
        }
        registry.patch(pods, namespace, name, "binding", pod -> {
            if (Json.at(pod, "metadata", "deletionTimestamp") != null) {
                throw conflict(name, "pod " + name + " is being deleted, cannot be assigned to a host");
            }
            String bound = Json.text(pod, "spec", "nodeName");
            if (bound != null && !bound.isEmpty()) {
                throw conflict(name, "pod " + name + " is already assigned to node " + io.capstan.api.FieldError.quote(bound));
            }
            Json.with(pod, "spec").put("nodeName", node);
            setScheduled(pod);
            return pod;
        }, false);
    }

    private void setScheduled(ObjectNode pod) {
        ObjectNode status = Json.with(pod, "status");
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
                conditions.remove(i);
            }
        }
        conditions.add(Json.object().put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime")
                .put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
    }

    private static StatusException conflict(String name, String why) {
        return new StatusException(409, "Conflict", "Operation cannot be fulfilled on pods/binding " + io.capstan.api.FieldError.quote(name)
                + ": " + why, name, "", "pods/binding", List.of(), 0);
    }
}
