package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.PersistentVolumes;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Clock;
import java.time.Duration;

/**
 * The volume half of Kubernetes' PersistentVolume controller (syncVolume): an unclaimed volume is
 * Available, one whose claim is bound to it is Bound, and one whose claim is gone is Released and
 * then reclaimed by its policy: Retain keeps it Released for an administrator; Delete leaves a
 * provisioned volume to its provisioner (which deletes it) and fails on a hand-made one, since no
 * in-tree plugin can delete it; Recycle is not supported. Its claim's sync does the binding itself.
 */
public final class VolumeSync implements Reconciler {

    private final ObjectCache volumes;
    private final ObjectCache claims;
    private final EventRecorder events;
    private final Binding binding;

    public VolumeSync(Api api, ObjectCache volumes, ObjectCache claims, EventRecorder events, Clock clock) {
        this.volumes = volumes;
        this.claims = claims;
        this.events = events;
        this.binding = new Binding(api, clock);
    }

    @Override
    public Result reconcile(String name) {
        ObjectNode volume = volumes.get("", name).orElse(null);
        if (volume == null) {
            return Result.done();
        }
        JsonNode ref = volume.path("spec").path("claimRef");
        if (!ref.isObject() || ref.path("uid").asText("").isEmpty()) {
            // Unused, or reserved for a claim (a pre-binding) whose sync will finish it.
            return phase(volume, "Available", null);
        }
        ObjectNode claim = claims.get(ref.path("namespace").asText(), ref.path("name").asText())
                .filter(c -> Json.text(c, "metadata", "uid").equals(ref.path("uid").asText()))
                .orElse(null); // a claim of the same name but another uid is a new claim: ours was deleted
        if (claim == null) {
            return release(volume);
        }
        String claimVolume = claim.path("spec").path("volumeName").asText("");
        if (claimVolume.isEmpty()) {
            return Result.done(); // binding in progress: the claim's sync (queued by the wiring) finishes it
        }
        if (claimVolume.equals(name)) {
            return phase(volume, "Bound", null);
        }
        // The claim went to another volume.
        if (!PersistentVolumes.annotation(volume, PersistentVolumes.PROVISIONED_BY).isEmpty()
                && "Delete".equals(volume.path("spec").path("persistentVolumeReclaimPolicy").asText())) {
            return release(volume); // provisioned for this claim in vain: its provisioner deletes it
        }
        return binding.unbindVolume(volume) ? Result.done() : retry();
    }

    /** Marks the volume Released (a Failed one stays Failed, for its user to see) and applies its reclaim policy. */
    private Result release(ObjectNode volume) {
        String phase = Json.text(volume, "status", "phase");
        if (!"Released".equals(phase) && !"Failed".equals(phase)) {
            volume = binding.volumePhase(volume, "Released", null);
            if (volume == null) {
                return retry();
            }
        }
        String policy = volume.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain");
        return switch (policy) {
            case "Retain" -> Result.done();
            case "Delete" -> {
                if (!PersistentVolumes.annotation(volume, PersistentVolumes.PROVISIONED_BY).isEmpty()) {
                    yield Result.done(); // the external provisioner that made it deletes it
                }
                yield fail(volume, "VolumeFailedDelete", "error getting deleter volume plugin for volume \"" + Json.text(volume, "metadata", "name")
                        + "\": no deletable volume plugin matched");
            }
            case "Recycle" -> fail(volume, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
            default -> fail(volume, "VolumeUnknownReclaimPolicy", "Volume has unrecognized PersistentVolumeReclaimPolicy");
        };
    }

    private Result fail(ObjectNode volume, String reason, String message) {
        if (!"Failed".equals(Json.text(volume, "status", "phase"))) {
            events.warning(volume, reason, message);
        }
        return phase(volume, "Failed", message);
    }

    private Result phase(ObjectNode volume, String phase, String message) {
        return binding.volumePhase(volume, phase, message) == null ? retry() : Result.done();
    }

    private static Result retry() {
        return Result.requeueAfter(Duration.ofMillis(100));
    }
}
