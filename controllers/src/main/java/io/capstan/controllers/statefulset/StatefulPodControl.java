package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.controllers.Claims;
import java.util.Map;
import java.util.Optional;

/**
 * Creates, updates and deletes a StatefulSet's pods and creates their claims, recording the
 * events Kubernetes' StatefulPodControl records ("create Pod web-0 in StatefulSet web successful").
 */
final class StatefulPodControl {

    private final Api api;
    private final ObjectCache claims;
    private final EventRecorder events;

    StatefulPodControl(Api api, ObjectCache claims, EventRecorder events) {
        this.api = api;
        this.claims = claims;
        this.events = events;
    }

    /** Creates the pod's missing claims, then the pod; a pod that exists already is an error the next pass resolves. */
    void create(JsonNode set, ObjectNode pod) {
        createMissingClaims(set, pod);
        try {
            api.create(Kinds.PODS, Json.text(pod, "metadata", "namespace"), pod);
        } catch (StatusException e) {
            if (e.code() != 409) {
                record("create", set, pod, e);
            }
            throw e;
        }
        record("create", set, pod, null);
    }

    /** Restores the pod's identity and storage; creates claims it now needs. */
    void update(JsonNode set, ObjectNode pod) {
        ObjectNode next = pod.deepCopy();
        if (!StatefulPods.identityMatches(set, next)) {
            StatefulPods.updateIdentity(set, next);
        }
        if (!StatefulPods.storageMatches(set, next)) {
            StatefulPods.updateStorage(set, next);
            createMissingClaims(set, next);
        }
        try {
            api.update(Kinds.PODS, Json.text(pod, "metadata", "namespace"), StatefulPods.name(pod), "", next);
        } catch (StatusException e) {
            record("update", set, pod, e);
            throw e;
        }
        record("update", set, pod, null);
    }

    void delete(JsonNode set, JsonNode pod) {
        try {
            api.delete(Kinds.PODS, Json.text(pod, "metadata", "namespace"), StatefulPods.name(pod), null,
                    Json.text(pod, "metadata", "uid"));
        } catch (StatusException e) {
            if (e.code() == 404) {
                return;
            }
            record("delete", set, pod, e);
            throw e;
        }
        record("delete", set, pod, null);
    }

    /** Creates each claim of the pod's ordinal that does not exist yet, owned as the retention policy says. */
    void createMissingClaims(JsonNode set, JsonNode pod) {
        StatusException failure = null;
        for (ObjectNode claim : StatefulPods.claims(set, StatefulPods.ordinal(pod)).values()) {
            String ns = Json.text(claim, "metadata", "namespace");
            String name = Json.text(claim, "metadata", "name");
            if (claims.get(ns, name).isPresent()) {
                continue;
            }
            ArrayNode refs = ClaimOwners.desired(claim, set, pod, false);
            if (!refs.isEmpty()) {
                Json.with(claim, "metadata").set("ownerReferences", refs);
            }
            try {
                api.create(Kinds.PERSISTENT_VOLUME_CLAIMS, ns, claim);
                events.normal(set, "SuccessfulCreate", "create Claim " + name + " Pod " + StatefulPods.name(pod)
                        + " in StatefulSet " + StatefulPods.name(set) + " success");
            } catch (StatusException e) {
                if (e.code() == 409) {
                    continue; // created meanwhile; the cache has not seen it yet
                }
                events.warning(set, "FailedCreate", "create Claim " + name + " for Pod " + StatefulPods.name(pod)
                        + " in StatefulSet " + StatefulPods.name(set) + " failed error: " + e.getMessage());
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether the ordinal's existing claims carry the owner references the retention policy wants. */
    boolean claimsMatchPolicy(JsonNode set, JsonNode pod, boolean scaledDown) {
        for (Map.Entry<String, ObjectNode> e : StatefulPods.claims(set, StatefulPods.ordinal(pod)).entrySet()) {
            Optional<ObjectNode> claim = existing(e.getValue());
            if (claim.isPresent() && !ClaimOwners.foreignController(claim.get(), set)
                    && !ClaimOwners.desired(claim.get(), set, pod, scaledDown).equals(refs(claim.get()))) {
                return false;
            }
        }
        return true;
    }

    /** Sets the owner references of the ordinal's claims as the retention policy wants them. */
    void updateClaimsForPolicy(JsonNode set, JsonNode pod, boolean scaledDown) {
        for (ObjectNode wanted : StatefulPods.claims(set, StatefulPods.ordinal(pod)).values()) {
            Optional<ObjectNode> claim = existing(wanted);
            if (claim.isEmpty() || ClaimOwners.foreignController(claim.get(), set)) {
                continue;
            }
            ArrayNode refs = ClaimOwners.desired(claim.get(), set, pod, scaledDown);
            if (!refs.equals(refs(claim.get())) && !Claims.patchOwnerRefs(api, Kinds.PERSISTENT_VOLUME_CLAIMS, claim.get(), refs)) {
                throw new IllegalStateException("claim " + Json.text(wanted, "metadata", "name") + " changed while updating its owners");
            }
        }
    }

    /**
     * A claim that must go before its pod can be made again: it is being deleted, or a scaled-down
     * pod of this ordinal still owns it (the garbage collector is about to remove it).
     */
    boolean claimIsStale(JsonNode set, int ordinal) {
        for (ObjectNode wanted : StatefulPods.claims(set, ordinal).values()) {
            Optional<ObjectNode> claim = existing(wanted);
            if (claim.isEmpty()) {
                continue;
            }
            if (claim.get().path("metadata").hasNonNull("deletionTimestamp")) {
                return true;
            }
            for (JsonNode ref : claim.get().path("metadata").path("ownerReferences")) {
                if (ref.path("kind").asText().equals("Pod") && ref.path("name").asText().equals(StatefulPods.podName(set, ordinal))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<ObjectNode> existing(JsonNode claim) {
        return claims.get(Json.text(claim, "metadata", "namespace"), Json.text(claim, "metadata", "name"));
    }

    private static ArrayNode refs(JsonNode claim) {
        JsonNode refs = claim.path("metadata").path("ownerReferences");
        return refs.isArray() ? (ArrayNode) refs : Json.array();
    }

    private void record(String verb, JsonNode set, JsonNode pod, StatusException error) {
        String title = Character.toUpperCase(verb.charAt(0)) + verb.substring(1);
        if (error == null) {
            events.normal(set, "Successful" + title, verb + " Pod " + StatefulPods.name(pod) + " in StatefulSet "
                    + StatefulPods.name(set) + " successful");
        } else {
            events.warning(set, "Failed" + title, verb + " Pod " + StatefulPods.name(pod) + " in StatefulSet "
                    + StatefulPods.name(set) + " failed error: " + error.getMessage());
        }
    }
}
