package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import java.time.Clock;
import java.util.List;

/**
 * Connects the volume binder (claim and volume halves), the local-path provisioner and storage
 * protection to the informers: a claim's events concern its binding, provisioning and protection,
 * a volume's events its own sync, its deletion, and the claim it names; a newly Available volume
 * may suit any waiting claim; a pod that ends or goes may free the claims it used.
 */
public final class VolumeWiring {

    private VolumeWiring() {}

    /** @param localPathBase the directory under which the local-path provisioner puts volumes on each node */
    public static List<ControllerLoop> register(Api api, SharedInformers informers, Clock clock, String localPathBase) {
        Informer claims = informers.of(Kinds.PERSISTENT_VOLUME_CLAIMS);
        Informer volumes = informers.of(Kinds.PERSISTENT_VOLUMES);
        Informer classes = informers.of(Kinds.STORAGE_CLASSES);
        Informer nodes = informers.of(Kinds.NODES);
        Informer pods = informers.of(Kinds.PODS);
        EventRecorder binderEvents = EventRecorder.async(api, "persistentvolume-controller", clock);
        EventRecorder provisionerEvents = EventRecorder.async(api, LocalPathProvisioner.NAME, clock);
        ControllerLoop claimLoop = new ControllerLoop("persistentvolume-binder-claims",
                new PersistentVolumeBinder(api, claims, volumes, classes, nodes, binderEvents, clock), 2);
        ControllerLoop volumeLoop = new ControllerLoop("persistentvolume-binder-volumes",
                new VolumeSync(api, volumes, claims, binderEvents, clock), 2);
        ControllerLoop provisionLoop = new ControllerLoop("local-path-provisioner",
                new LocalPathProvisioner(api, claims, volumes, classes, nodes, provisionerEvents, localPathBase), 2);
        ControllerLoop deleteLoop = new ControllerLoop("local-path-deleter", new LocalPathDeleter(api, volumes), 1);
        StorageProtection protection = new StorageProtection(api, claims, volumes, pods);
        ControllerLoop claimProtection = new ControllerLoop("pvc-protection", protection::claim, 1);
        ControllerLoop volumeProtection = new ControllerLoop("pv-protection", protection::volume, 1);
        claims.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode claim) {
                claimLoop.queue().add(ObjectCache.key(claim));
                provisionLoop.queue().add(ObjectCache.key(claim));
                claimProtection.queue().add(ObjectCache.key(claim));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode claim) {
                added(claim);
            }

            @Override
            public void deleted(ObjectNode claim) {
                String volume = claim.path("spec").path("volumeName").asText("");
                if (!volume.isEmpty()) {
                    volumeLoop.queue().add(volume);
                }
                String uid = Json.text(claim, "metadata", "uid");
                for (ObjectNode pv : volumes.list()) { // a volume made for it before the binding completed
                    if (uid.equals(pv.path("spec").path("claimRef").path("uid").asText())) {
                        volumeLoop.queue().add(Json.text(pv, "metadata", "name"));
                    }
                }
            }
        });
        volumes.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pv) {
                volumeLoop.queue().add(ObjectCache.key(pv));
                deleteLoop.queue().add(ObjectCache.key(pv));
                volumeProtection.queue().add(ObjectCache.key(pv));
                enqueueClaimOf(pv, claimLoop);
                if ("Available".equals(Json.text(pv, "status", "phase")) && !pv.path("spec").path("claimRef").isObject()) {
                    enqueueWaiting(claims, claimLoop);
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pv) {
                added(pv);
            }

            @Override
            public void deleted(ObjectNode pv) {
                enqueueClaimOf(pv, claimLoop);
            }
        });
        pods.addHandler(new Informer.Handler() {
            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                enqueueClaimsOf(pod, claimProtection); // it may have finished
            }

            @Override
            public void deleted(ObjectNode pod) {
                enqueueClaimsOf(pod, claimProtection);
            }
        });
        return List.of(claimLoop, volumeLoop, provisionLoop, deleteLoop, claimProtection, volumeProtection);
    }

    private static void enqueueClaimsOf(JsonNode pod, ControllerLoop loop) {
        String ns = pod.path("metadata").path("namespace").asText();
        for (String claim : StorageProtection.claimNames(pod)) {
            loop.queue().add(ObjectCache.key(ns, claim));
        }
    }

    private static void enqueueClaimOf(JsonNode pv, ControllerLoop claimLoop) {
        JsonNode ref = pv.path("spec").path("claimRef");
        if (ref.isObject()) {
            claimLoop.queue().add(ObjectCache.key(ref.path("namespace").asText(), ref.path("name").asText()));
        }
    }

    /** Claims that are still looking for a volume. */
    private static void enqueueWaiting(ObjectCache claims, ControllerLoop claimLoop) {
        for (ObjectNode claim : claims.list()) {
            if (claim.path("spec").path("volumeName").asText("").isEmpty()
                    && PersistentVolumes.annotation(claim, PersistentVolumes.BIND_COMPLETED).isEmpty()) {
                claimLoop.queue().add(ObjectCache.key(claim));
            }
        }
    }
}
