package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The claim half of Kubernetes' PersistentVolume controller (syncClaim): binds each Pending claim
 * to the volume it names or to the smallest Available one that fits, asks the class's provisioner
 * for a volume when none does, and waits for the scheduler's selected-node when the class says
 * WaitForFirstConsumer. A claim whose volume vanished or went to another claim is Lost.
 */
public final class PersistentVolumeBinder implements Reconciler {

    /** How often an unbound claim is looked at again, as the PV controller's periodic resync. */
    static final Duration RESYNC = Duration.ofSeconds(15);

    private final ObjectCache claims;
    private final ObjectCache volumes;
    private final ObjectCache classes;
    private final ObjectCache nodes;
    private final Api api;
    private final EventRecorder events;
    private final Binding binding;

    public PersistentVolumeBinder(Api api, ObjectCache claims, ObjectCache volumes, ObjectCache classes, ObjectCache nodes,
                                  EventRecorder events, Clock clock) {
        this.api = api;
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
        this.nodes = nodes;
        this.events = events;
        this.binding = new Binding(api, clock);
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode claim = claims.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (claim == null) {
            return Result.done(); // its volume's sync releases the volume
        }
        if (PersistentVolumes.annotation(claim, PersistentVolumes.BIND_COMPLETED).isEmpty()) {
            return syncUnbound(claim);
        }
        return syncBound(claim) ? Result.done() : retry();
    }

    private Result syncUnbound(ObjectNode claim) {
        String volumeName = claim.path("spec").path("volumeName").asText("");
        if (!volumeName.isEmpty()) {
            return syncRequested(claim, volumeName);
        }
        JsonNode storageClass = classes.get("", PersistentVolumes.storageClass(claim)).orElse(null);
        String node = PersistentVolumes.annotation(claim, PersistentVolumes.SELECTED_NODE);
        boolean delay = node.isEmpty() && PersistentVolumes.waitsForFirstConsumer(storageClass);
        JsonNode volume = PersistentVolumes.bestMatch(claim, volumes.list(), v -> !delay && (node.isEmpty() || fitsNode(v, node)));
        if (volume != null) {
            return binding.bind(((ObjectNode) volume).deepCopy(), claim) ? Result.done() : retry();
        }
        String className = PersistentVolumes.storageClass(claim);
        if (delay) {
            events.normal(claim, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
        } else if (!className.isEmpty()) {
            return provision(claim, className, storageClass);
        } else {
            events.normal(claim, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
        }
        return binding.claimPhase(claim, "Pending", null) ? Result.requeueAfter(RESYNC) : retry();
    }

    /**
     * Leaves the volume to the class's provisioner, as the PV controller does for external ones: the
     * claim is annotated with the provisioner's name, which the provisioner watches for.
     */
    private Result provision(ObjectNode claim, String className, JsonNode storageClass) {
        if (storageClass == null) {
            events.warning(claim, "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
            return binding.claimPhase(claim, "Pending", null) ? Result.requeueAfter(RESYNC) : retry();
        }
        String provisioner = storageClass.path("provisioner").asText("");
        ObjectNode current = claim;
        if (!provisioner.equals(PersistentVolumes.annotation(claim, PersistentVolumes.STORAGE_PROVISIONER))
                || !provisioner.equals(PersistentVolumes.annotation(claim, PersistentVolumes.BETA_STORAGE_PROVISIONER))) {
            ObjectNode next = claim.deepCopy();
            Json.with(next, "metadata", "annotations").put(PersistentVolumes.STORAGE_PROVISIONER, provisioner)
                    .put(PersistentVolumes.BETA_STORAGE_PROVISIONER, provisioner);
            current = Writes.update(api, Kinds.PERSISTENT_VOLUME_CLAIMS, next);
            if (current == null) {
                return retry();
            }
        }
        events.normal(claim, "ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner '"
                + provisioner + "' or manually by the system administrator. If volume creation is delayed, please verify that the "
                + "provisioner is running and correctly registered.");
        return binding.claimPhase(current, "Pending", null) ? Result.requeueAfter(RESYNC) : retry();
    }

    /** The user asked for a particular volume in spec.volumeName. */
    private Result syncRequested(ObjectNode claim, String volumeName) {
        ObjectNode volume = volumes.get("", volumeName).orElse(null);
        if (volume == null) {
            return binding.claimPhase(claim, "Pending", null) ? Result.requeueAfter(RESYNC) : retry();
        }
        JsonNode ref = volume.path("spec").path("claimRef");
        if (!ref.isObject() || PersistentVolumes.isBoundTo(volume, claim)) {
            String mismatch = ref.isObject() ? null : PersistentVolumes.mismatch(volume, claim);
            if (mismatch != null) {
                events.warning(claim, "VolumeMismatch", "Cannot bind to requested volume \"" + volumeName + "\": " + mismatch);
                return binding.claimPhase(claim, "Pending", null) ? Result.requeueAfter(RESYNC) : retry();
            }
            return binding.bind(volume.deepCopy(), claim) ? Result.done() : retry();
        }
        // Claimed by someone else: wait for the user to sort it out.
        events.warning(claim, "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
        return binding.claimPhase(claim, "Pending", null) ? Result.requeueAfter(RESYNC) : retry();
    }

    /** false when a write lost a race. */
    private boolean syncBound(ObjectNode claim) {
        String volumeName = claim.path("spec").path("volumeName").asText("");
        if (volumeName.isEmpty()) {
            return lost(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
        }
        ObjectNode volume = volumes.get("", volumeName).orElse(null);
        if (volume == null) {
            return lost(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
        }
        JsonNode ref = volume.path("spec").path("claimRef");
        if (!ref.isObject() || ref.path("uid").asText("").equals(Json.text(claim, "metadata", "uid"))) {
            return binding.bind(volume.deepCopy(), claim); // re-binds a volume that came unbound; otherwise only checks
        }
        return lost(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
    }

    private boolean lost(ObjectNode claim, String reason, String message) {
        if (!"Lost".equals(Json.text(claim, "status", "phase"))) {
            events.warning(claim, reason, message);
        }
        return binding.claimPhase(claim, "Lost", null);
    }

    /** Whether the volume's node affinity admits the node the scheduler picked (its labels from the Node, if known). */
    private boolean fitsNode(JsonNode volume, String node) {
        Map<String, String> labels = nodes.get("", node).map(Json::labels).orElse(Map.of("kubernetes.io/hostname", node));
        return PersistentVolumes.allowsNode(volume, node, labels);
    }

    private static Result retry() {
        return Result.requeueAfter(Duration.ofMillis(100)); // a newer version is coming through the watch
    }
}
