package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;

/** Creates pods from a workload's template and deletes them, recording the events Kubernetes' controllers record. */
public final class PodControl {

    private final Api api;
    private final EventRecorder events;

    public PodControl(Api api, EventRecorder events) {
        this.api = api;
        this.events = events;
    }

    /** A pod from the template, controlled by owner; name is used as is, or generated from generateName when null. */
    public ObjectNode create(JsonNode owner, JsonNode template, String namespace, String name, String generateName) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = template.path("metadata").isObject() ? ((ObjectNode) template.path("metadata")).deepCopy() : Json.object();
        meta.remove(java.util.List.of("name", "generateName", "namespace", "resourceVersion", "uid", "creationTimestamp"));
        if (name != null) {
            meta.put("name", name);
        } else {
            meta.put("generateName", generateName);
        }
        meta.put("namespace", namespace);
        meta.putArray("ownerReferences").add(OwnerRefs.controllerRef(owner));
        pod.set("metadata", meta);
        pod.set("spec", template.path("spec").deepCopy());
        try {
            ObjectNode created = api.create(Kinds.PODS, namespace, pod);
            events.normal(owner, "SuccessfulCreate", "Created pod: " + Json.text(created, "metadata", "name"));
            return created;
        } catch (StatusException e) {
            events.warning(owner, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
        }
    }

    /** Deletes the pod (404 is fine: it is gone already). */
    public void delete(JsonNode owner, JsonNode pod) {
        String name = pod.path("metadata").path("name").asText();
        try {
            api.delete(Kinds.PODS, pod.path("metadata").path("namespace").asText(), name, null, pod.path("metadata").path("uid").asText());
            events.normal(owner, "SuccessfulDelete", "Deleted pod: " + name);
        } catch (StatusException e) {
            if (e.code() != 404) {
                events.warning(owner, "FailedDelete", "Error deleting: " + e.getMessage());
                throw e;
            }
        }
    }
}
