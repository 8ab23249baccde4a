package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;

/**
 * Reclaims the local-path provisioner's volumes whose policy is Delete once the binder has
 * Released them: deletes the PersistentVolume. The directory stays on its node for the node
 * agent to remove: the agent of the node named in the volume's node affinity deletes
 * spec.hostPath.path when a volume provisioned by {@value LocalPathProvisioner#NAME} is deleted
 * (and, on start, any pvc-* directory under its base directory that no volume names).
 */
public final class LocalPathDeleter implements Reconciler {

    private final Api api;
    private final ObjectCache volumes;

    public LocalPathDeleter(Api api, ObjectCache volumes) {
        this.api = api;
        this.volumes = volumes;
    }

    @Override
    public Result reconcile(String name) {
        ObjectNode volume = volumes.get("", name).orElse(null);
        if (volume == null || volume.path("metadata").hasNonNull("deletionTimestamp")
                || !LocalPathProvisioner.NAME.equals(PersistentVolumes.annotation(volume, PersistentVolumes.PROVISIONED_BY))
                || !"Released".equals(Json.text(volume, "status", "phase"))
                || !"Delete".equals(volume.path("spec").path("persistentVolumeReclaimPolicy").asText())) {
            return Result.done();
        }
        try {
            api.delete(Kinds.PERSISTENT_VOLUMES, "", name, null, Json.text(volume, "metadata", "uid"));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
        return Result.done();
    }
}
