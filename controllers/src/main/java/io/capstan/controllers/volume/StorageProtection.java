package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.api.PodResources;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Result;
import io.capstan.controllers.Finalizers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' pvc-protection and pv-protection controllers: a deleted claim keeps its finalizer
 * while a scheduled, unfinished pod uses it, and a deleted volume while it is Bound, so storage
 * never goes away under a running pod. The API server puts the finalizers on at create.
 */
public final class StorageProtection {

    private final Api api;
    private final ObjectCache claims;
    private final ObjectCache volumes;
    private final ObjectCache pods;

    public StorageProtection(Api api, ObjectCache claims, ObjectCache volumes, ObjectCache pods) {
        this.api = api;
        this.claims = claims;
        this.volumes = volumes;
        this.pods = pods;
    }

    /** Reconciles a claim key "namespace/name". */
    public Result claim(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        ObjectNode claim = claims.get(ns, key.substring(slash + 1)).orElse(null);
        if (claim == null || !deleting(claim) || !Finalizers.has(claim, PersistentVolumes.PVC_PROTECTION)) {
            return Result.done();
        }
        String name = Json.text(claim, "metadata", "name");
        for (ObjectNode pod : pods.byIndex(Indexes.NAMESPACE, ns)) {
            if (uses(pod, name)) {
                return Result.done(); // the pod's end enqueues the claim again
            }
        }
        return release(Kinds.PERSISTENT_VOLUME_CLAIMS, claim, PersistentVolumes.PVC_PROTECTION);
    }

    /** Reconciles a volume key (its name). */
    public Result volume(String name) {
        ObjectNode volume = volumes.get("", name).orElse(null);
        if (volume == null || !deleting(volume) || !Finalizers.has(volume, PersistentVolumes.PV_PROTECTION)
                || "Bound".equals(Json.text(volume, "status", "phase"))) {
            return Result.done();
        }
        return release(Kinds.PERSISTENT_VOLUMES, volume, PersistentVolumes.PV_PROTECTION);
    }

    /** Whether a pod holds the claim: it is on a node and not finished (a pod not yet scheduled holds nothing). */
    static boolean uses(JsonNode pod, String claim) {
        return !pod.path("spec").path("nodeName").asText("").isEmpty() && !PodResources.terminal(pod) && claimNames(pod).contains(claim);
    }

    /** The claims a pod's volumes name: persistentVolumeClaim ones, and POD-VOLUME for generic ephemeral ones. */
    static List<String> claimNames(JsonNode pod) {
        List<String> names = new ArrayList<>();
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            if (volume.path("persistentVolumeClaim").isObject()) {
                names.add(volume.path("persistentVolumeClaim").path("claimName").asText());
            } else if (volume.has("ephemeral")) {
                names.add(pod.path("metadata").path("name").asText() + "-" + volume.path("name").asText());
            }
        }
        return names;
    }

    private Result release(ResourceType type, ObjectNode object, String finalizer) {
        try {
            api.patch(type, Json.text(object, "metadata", "namespace"), Json.text(object, "metadata", "name"), "", ApiClient.MERGE_PATCH,
                    Finalizers.removalPatch(object, finalizer));
        } catch (StatusException e) {
            if (e.code() == 409) {
                return Result.requeueAfter(Duration.ofMillis(100));
            }
            if (e.code() != 404) {
                throw e;
            }
        }
        return Result.done();
    }

    private static boolean deleting(JsonNode object) {
        return object.path("metadata").hasNonNull("deletionTimestamp");
    }
}
