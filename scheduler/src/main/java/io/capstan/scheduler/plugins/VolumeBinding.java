package io.capstan.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.PersistentVolumes;
import io.capstan.scheduler.framework.FilterPlugin;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.VolumeObjects;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' VolumeBinding filter, simplified: a pod's claims must exist and not be going away;
 * a bound claim's volume must admit the node (its node affinity); an unbound claim of an
 * Immediate class stops the pod until the binder binds it; an unbound claim of a
 * WaitForFirstConsumer class fits a node where an Available volume would do, or any node when
 * its class can provision one. The scheduler then tells such claims its choice
 * ({@link #claimsAwaitingNode}); the binder binds or provisions for that node.
 */
public final class VolumeBinding implements FilterPlugin {

    static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
    static final String BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
    static final String PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

    /** A pod's claims sorted the way the filter needs them, or why the pod cannot be scheduled at all. */
    private record PodClaims(String rejected, List<JsonNode> bound, List<JsonNode> delayed) {
        static final PodClaims NONE = new PodClaims(null, List.of(), List.of());
    }

    private final VolumeObjects objects;

    public VolumeBinding(VolumeObjects objects) {
        this.objects = objects;
    }

    @Override
    public String preFilter(PodInfo pod) {
        return claims(pod).rejected();
    }

    @Override
    public NodeCheck check(PodInfo pod, List<NodeInfo> nodes) {
        PodClaims claims = claims(pod);
        if (claims.rejected() != null) {
            return node -> claims.rejected();
        }
        if (claims.bound().isEmpty() && claims.delayed().isEmpty()) {
            return node -> null;
        }
        return node -> {
            for (JsonNode claim : claims.bound()) {
                JsonNode volume = objects.volumes().get("", claim.path("spec").path("volumeName").asText()).orElse(null);
                if (volume == null) {
                    return PV_NOT_EXIST;
                }
                if (!PersistentVolumes.allowsNode(volume, node.name(), node.labels())) {
                    return NODE_CONFLICT;
                }
            }
            for (JsonNode claim : claims.delayed()) {
                if (!canBind(claim, node)) {
                    return BIND_CONFLICT;
                }
            }
            return null;
        };
    }

    /** Names of the pod's unbound WaitForFirstConsumer claims that do not yet name this node as selected. */
    public List<String> claimsAwaitingNode(PodInfo pod, String node) {
        List<String> names = new ArrayList<>();
        for (JsonNode claim : claims(pod).delayed()) {
            if (!node.equals(PersistentVolumes.annotation(claim, PersistentVolumes.SELECTED_NODE))) {
                names.add(claim.path("metadata").path("name").asText());
            }
        }
        return names;
    }

    /** A delayed claim on a node: the node already chosen for it, a volume that fits there, or a class that provisions. */
    private boolean canBind(JsonNode claim, NodeInfo node) {
        String selected = PersistentVolumes.annotation(claim, PersistentVolumes.SELECTED_NODE);
        if (!selected.isEmpty()) {
            return selected.equals(node.name());
        }
        if (PersistentVolumes.bestMatch(claim, objects.volumes().list(),
                v -> PersistentVolumes.allowsNode(v, node.name(), node.labels())) != null) {
            return true;
        }
        return PersistentVolumes.provisions(storageClass(claim));
    }

    private PodClaims claims(PodInfo pod) {
        JsonNode volumes = pod.spec().path("volumes");
        if (volumes.isEmpty()) {
            return PodClaims.NONE;
        }
        List<JsonNode> bound = new ArrayList<>();
        List<JsonNode> delayed = new ArrayList<>();
        for (JsonNode volume : volumes) {
            String name;
            boolean ephemeral = volume.has("ephemeral");
            if (volume.path("persistentVolumeClaim").isObject()) {
                name = volume.path("persistentVolumeClaim").path("claimName").asText();
            } else if (ephemeral) {
                name = pod.name() + "-" + volume.path("name").asText();
            } else {
                continue;
            }
            JsonNode claim = objects.claims().get(pod.namespace(), name).orElse(null);
            if (claim == null) {
                return new PodClaims(ephemeral ? "waiting for ephemeral volume controller to create the persistentvolumeclaim \"" + name + "\""
                        : "persistentvolumeclaim \"" + name + "\" not found", List.of(), List.of());
            }
            String volumeName = claim.path("spec").path("volumeName").asText("");
            if ("Lost".equals(claim.path("status").path("phase").asText())) {
                return new PodClaims("persistentvolumeclaim \"" + name + "\" bound to non-existent persistentvolume \"" + volumeName + "\"",
                        List.of(), List.of());
            }
            if (claim.path("metadata").hasNonNull("deletionTimestamp")) {
                return new PodClaims("persistentvolumeclaim \"" + name + "\" is being deleted", List.of(), List.of());
            }
            if (!volumeName.isEmpty() && !PersistentVolumes.annotation(claim, PersistentVolumes.BIND_COMPLETED).isEmpty()) {
                bound.add(claim);
            } else if (volumeName.isEmpty() && PersistentVolumes.waitsForFirstConsumer(storageClass(claim))) {
                delayed.add(claim);
            } else {
                return new PodClaims(UNBOUND_IMMEDIATE, List.of(), List.of()); // the binder binds these, not the scheduler
            }
        }
        return new PodClaims(null, bound, delayed);
    }

    private JsonNode storageClass(JsonNode claim) {
        String name = PersistentVolumes.storageClass(claim);
        return name.isEmpty() ? null : objects.classes().get("", name).orElse(null);
    }
}
