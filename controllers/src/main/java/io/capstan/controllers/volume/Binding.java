package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.client.Api;
import io.capstan.controllers.StatusUpdates;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * The writes that bind a claim and a volume to each other, and their phases, in the PV controller's
 * order: volume claimRef, volume phase, claim volumeName and annotations, claim phase. Each step
 * is skipped when already done, so an interrupted binding is finished by the next sync.
 */
final class Binding {

    private final Api api;
    private final Clock clock;

    Binding(Api api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** Binds both ways; false when an object changed or vanished meanwhile (the caller requeues). */
    boolean bind(ObjectNode volume, ObjectNode claim) {
        ObjectNode boundVolume = volumeToClaim(volume, claim);
        if (boundVolume == null || (boundVolume = volumePhase(boundVolume, "Bound", null)) == null) {
            return false;
        }
        ObjectNode boundClaim = claimToVolume(claim, boundVolume);
        return boundClaim != null && claimPhase(boundClaim, "Bound", boundVolume);
    }

    /** Sets the volume's claimRef to the claim (with its uid); marks it bound-by-controller unless it was pre-bound by a user. */
    private ObjectNode volumeToClaim(ObjectNode volume, ObjectNode claim) {
        JsonNode ref = volume.path("spec").path("claimRef");
        JsonNode meta = claim.path("metadata");
        if (ref.path("uid").asText("").equals(meta.path("uid").asText()) && PersistentVolumes.isBoundTo(volume, claim)) {
            return volume;
        }
        ObjectNode next = volume.deepCopy();
        if (!PersistentVolumes.isBoundTo(volume, claim)) {
            Json.with(next, "metadata", "annotations").put(PersistentVolumes.BOUND_BY_CONTROLLER, "yes");
        }
        Json.with(next, "spec").set("claimRef", Json.object().put("kind", "PersistentVolumeClaim").put("namespace", meta.path("namespace").asText())
                .put("name", meta.path("name").asText()).put("uid", meta.path("uid").asText()).put("apiVersion", "v1")
                .put("resourceVersion", meta.path("resourceVersion").asText()));
        return Writes.update(api, Kinds.PERSISTENT_VOLUMES, next);
    }

    /** Sets volumeName, bind-completed and (when the controller chose the volume) bound-by-controller on the claim. */
    private ObjectNode claimToVolume(ObjectNode claim, JsonNode volume) {
        String name = Json.text(volume, "metadata", "name");
        boolean chosen = !name.equals(claim.path("spec").path("volumeName").asText(""));
        if (!chosen && !PersistentVolumes.annotation(claim, PersistentVolumes.BIND_COMPLETED).isEmpty()) {
            return claim;
        }
        ObjectNode next = claim.deepCopy();
        Json.with(next, "spec").put("volumeName", name);
        ObjectNode annotations = Json.with(next, "metadata", "annotations");
        annotations.put(PersistentVolumes.BIND_COMPLETED, "yes");
        if (chosen) {
            annotations.put(PersistentVolumes.BOUND_BY_CONTROLLER, "yes");
        }
        return Writes.update(api, Kinds.PERSISTENT_VOLUME_CLAIMS, next);
    }

    /** Removes the volume's tie to its claim: all of claimRef when the controller set it, else only its uid. */
    boolean unbindVolume(ObjectNode volume) {
        ObjectNode next = volume.deepCopy();
        ObjectNode spec = Json.with(next, "spec");
        if (!PersistentVolumes.annotation(volume, PersistentVolumes.BOUND_BY_CONTROLLER).isEmpty()) {
            spec.remove("claimRef");
            Json.with(next, "metadata", "annotations").remove(PersistentVolumes.BOUND_BY_CONTROLLER);
        } else {
            Json.with(spec, "claimRef").remove("uid");
        }
        ObjectNode updated = Writes.update(api, Kinds.PERSISTENT_VOLUMES, next);
        return updated != null && volumePhase(updated, "Available", null) != null;
    }

    /** The claim's status: phase, and the volume's access modes and capacity when bound to one; false on a lost race. */
    boolean claimPhase(ObjectNode claim, String phase, JsonNode volume) {
        ObjectNode status = claim.path("status").isObject() ? ((ObjectNode) claim.get("status")).deepCopy() : Json.object();
        status.put("phase", phase);
        if (volume == null) {
            status.remove("accessModes");
            status.remove("capacity");
        } else {
            status.set("accessModes", volume.path("spec").path("accessModes").deepCopy());
            status.set("capacity", volume.path("spec").path("capacity").deepCopy());
        }
        return StatusUpdates.write(api, Kinds.PERSISTENT_VOLUME_CLAIMS, claim, status);
    }

    /** The volume's phase (and message, null for none), with lastPhaseTransitionTime when the phase changes; null on a lost race. */
    ObjectNode volumePhase(ObjectNode volume, String phase, String message) {
        ObjectNode status = volume.path("status").isObject() ? ((ObjectNode) volume.get("status")).deepCopy() : Json.object();
        if (!phase.equals(status.path("phase").asText())) {
            status.put("lastPhaseTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        status.put("phase", phase);
        if (message == null) {
            status.remove("message");
        } else {
            status.put("message", message);
        }
        if (status.equals(volume.path("status"))) {
            return volume;
        }
        ObjectNode next = volume.deepCopy();
        next.set("status", status);
        return Writes.updateStatus(api, Kinds.PERSISTENT_VOLUMES, next);
    }
}
