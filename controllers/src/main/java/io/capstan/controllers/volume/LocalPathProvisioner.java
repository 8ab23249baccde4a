package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;

/**
 * Provisions volumes for claims of classes whose provisioner is {@value #NAME}, as an external
 * provisioner does (sig-storage-lib-external-provisioner, the shape of Rancher's local-path-provisioner):
 * once the binder has handed a claim to it and the scheduler has picked a node, it creates PV
 * pvc-UID, a hostPath directory BASE/pvc-UID_NAMESPACE_NAME on that node with node affinity to it,
 * already claimed by the claim, for the binder to bind. The node agent creates the directory when a
 * pod first mounts it (hostPath type DirectoryOrCreate); {@link LocalPathDeleter} reclaims it.
 */
public final class LocalPathProvisioner implements Reconciler {

    public static final String NAME = "capstan.io/local-path";
    public static final String DEFAULT_BASE = "/var/lib/capstan/storage";
    static final String HOSTNAME = "kubernetes.io/hostname";

    private final Api api;
    private final ObjectCache claims;
    private final ObjectCache volumes;
    private final ObjectCache classes;
    private final ObjectCache nodes;
    private final EventRecorder events;
    private final String base;

    /** @param base the directory on each node under which volumes' directories are made */
    public LocalPathProvisioner(Api api, ObjectCache claims, ObjectCache volumes, ObjectCache classes, ObjectCache nodes,
                                EventRecorder events, String base) {
        this.api = api;
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
        this.nodes = nodes;
        this.events = events;
        this.base = base.endsWith("/") && base.length() > 1 ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode claim = claims.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (claim == null || !claim.path("spec").path("volumeName").asText("").isEmpty()
                || claim.path("metadata").hasNonNull("deletionTimestamp")
                || !NAME.equals(PersistentVolumes.annotation(claim, PersistentVolumes.STORAGE_PROVISIONER))) {
            return Result.done();
        }
        JsonNode storageClass = classes.get("", PersistentVolumes.storageClass(claim)).orElse(null);
        if (storageClass == null || !NAME.equals(storageClass.path("provisioner").asText())) {
            return Result.done();
        }
        String volumeName = "pvc-" + Json.text(claim, "metadata", "uid");
        if (volumes.get("", volumeName).isPresent()) {
            return Result.done(); // made already; the binder binds it
        }
        String node = PersistentVolumes.annotation(claim, PersistentVolumes.SELECTED_NODE);
        if (node.isEmpty()) {
            if (!PersistentVolumes.waitsForFirstConsumer(storageClass)) {
                events.warning(claim, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                        + Json.text(storageClass, "metadata", "name") + "\": configuration error, no node was specified");
            }
            return Result.done(); // waits for the scheduler's choice
        }
        if (claim.path("spec").path("selector").isObject()) {
            events.warning(claim, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                    + Json.text(storageClass, "metadata", "name") + "\": claim Selector is not supported");
            return Result.done();
        }
        String claimKey = Json.text(claim, "metadata", "namespace") + "/" + Json.text(claim, "metadata", "name");
        events.normal(claim, "Provisioning", "External provisioner is provisioning volume for claim \"" + claimKey + "\"");
        try {
            api.create(Kinds.PERSISTENT_VOLUMES, "", volume(volumeName, claim, storageClass, node));
        } catch (StatusException e) {
            if (e.code() != 409) {
                events.warning(claim, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                        + Json.text(storageClass, "metadata", "name") + "\": " + e.getMessage());
                throw e;
            }
            return Result.done();
        }
        events.normal(claim, "ProvisioningSucceeded", "Successfully provisioned volume " + volumeName);
        return Result.done();
    }

    /** The directory of a claim's volume on its node: BASE/pvc-UID_NAMESPACE_NAME. */
    String path(String volumeName, JsonNode claim) {
        return base + "/" + volumeName + "_" + Json.text(claim, "metadata", "namespace") + "_" + Json.text(claim, "metadata", "name");
    }

    private ObjectNode volume(String name, ObjectNode claim, JsonNode storageClass, String node) {
        ObjectNode pv = Json.object().put("apiVersion", "v1").put("kind", "PersistentVolume");
        ObjectNode meta = pv.putObject("metadata").put("name", name);
        meta.putObject("annotations").put(PersistentVolumes.PROVISIONED_BY, NAME);
        ObjectNode spec = pv.putObject("spec");
        spec.putObject("capacity").set("storage", claim.path("spec").path("resources").path("requests").path("storage").deepCopy());
        spec.set("accessModes", claim.path("spec").path("accessModes").deepCopy());
        spec.put("persistentVolumeReclaimPolicy", storageClass.path("reclaimPolicy").asText("Delete"));
        spec.put("storageClassName", Json.text(storageClass, "metadata", "name"));
        spec.put("volumeMode", claim.path("spec").path("volumeMode").asText("Filesystem"));
        if (storageClass.path("mountOptions").isArray()) {
            spec.set("mountOptions", storageClass.get("mountOptions").deepCopy());
        }
        JsonNode claimMeta = claim.path("metadata");
        spec.putObject("claimRef").put("kind", "PersistentVolumeClaim").put("namespace", claimMeta.path("namespace").asText())
                .put("name", claimMeta.path("name").asText()).put("uid", claimMeta.path("uid").asText()).put("apiVersion", "v1")
                .put("resourceVersion", claimMeta.path("resourceVersion").asText());
        spec.putObject("hostPath").put("path", path(name, claim)).put("type", "DirectoryOrCreate");
        // The node's hostname label, as local volumes name nodes; the node name when the Node is not known.
        String hostname = nodes.get("", node).map(n -> Json.labels(n).get(HOSTNAME)).orElse(node);
        ArrayNode values = Json.array().add(hostname == null ? node : hostname);
        spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
                .putArray("matchExpressions").addObject().put("key", HOSTNAME).put("operator", "In").set("values", values);
        return pv;
    }
}
