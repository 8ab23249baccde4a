package io.capstan.controllers.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.ObjectCache;
import io.capstan.controllers.FakeCluster;

/**
 * The volume controllers on one FakeCluster: the binder's two halves, the local-path provisioner
 * and deleter, and {@link #settle()} standing in for the informers that would wake each of them.
 */
final class VolumeFixture {

    final FakeCluster c = new FakeCluster();
    final PersistentVolumeBinder binder = new PersistentVolumeBinder(c.api, c.cache(Kinds.PERSISTENT_VOLUME_CLAIMS),
            c.cache(Kinds.PERSISTENT_VOLUMES), c.cache(Kinds.STORAGE_CLASSES), c.cache(Kinds.NODES), c.events, c.clock);
    final VolumeSync volumeSync = new VolumeSync(c.api, c.cache(Kinds.PERSISTENT_VOLUMES), c.cache(Kinds.PERSISTENT_VOLUME_CLAIMS),
            c.events, c.clock);
    final LocalPathProvisioner provisioner = new LocalPathProvisioner(c.api, c.cache(Kinds.PERSISTENT_VOLUME_CLAIMS),
            c.cache(Kinds.PERSISTENT_VOLUMES), c.cache(Kinds.STORAGE_CLASSES), c.cache(Kinds.NODES), c.events, "/data/storage/");
    final LocalPathDeleter deleter = new LocalPathDeleter(c.api, c.cache(Kinds.PERSISTENT_VOLUMES));

    /** Runs every controller over every object until nothing changes (at most a few rounds). */
    VolumeFixture settle() {
        for (int round = 0; round < 6; round++) {
            int before = c.writes().size();
            c.sync();
            for (ObjectNode claim : c.cache(Kinds.PERSISTENT_VOLUME_CLAIMS).list()) {
                binder.reconcile(ObjectCache.key(claim));
                c.sync();
                provisioner.reconcile(ObjectCache.key(claim));
                c.sync();
            }
            for (ObjectNode pv : c.cache(Kinds.PERSISTENT_VOLUMES).list()) {
                volumeSync.reconcile(ObjectCache.key(pv));
                c.sync();
                deleter.reconcile(ObjectCache.key(pv));
                c.sync();
            }
            if (c.writes().size() == before) {
                break;
            }
        }
        return this;
    }

    ObjectNode claim(String name) {
        return c.api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", name);
    }

    ObjectNode volume(String name) {
        return c.api.get(Kinds.PERSISTENT_VOLUMES, "", name);
    }

    ObjectNode seedClass(String name, String provisioner, String mode, String reclaim) {
        ObjectNode sc = Json.object().put("provisioner", provisioner).put("volumeBindingMode", mode).put("reclaimPolicy", reclaim);
        sc.putObject("metadata").put("name", name);
        return c.seed(Kinds.STORAGE_CLASSES, sc);
    }

    ObjectNode seedNode(String name) {
        ObjectNode n = Json.object();
        n.putObject("metadata").put("name", name).putObject("labels").put("kubernetes.io/hostname", name);
        return c.seed(Kinds.NODES, n);
    }

    /** A Pending claim of the class ("" for none) for ReadWriteOnce storage of that size. */
    ObjectNode seedClaim(String name, String className, String size) {
        return c.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claimJson(name, className, size));
    }

    static ObjectNode claimJson(String name, String className, String size) {
        ObjectNode claim = Json.object();
        claim.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = claim.putObject("spec").put("storageClassName", className).put("volumeMode", "Filesystem");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", size);
        claim.putObject("status").put("phase", "Pending");
        return claim;
    }

    static ObjectNode volumeJson(String name, String className, String size, String reclaim) {
        ObjectNode pv = Json.object();
        pv.putObject("metadata").put("name", name);
        ObjectNode spec = pv.putObject("spec").put("storageClassName", className).put("persistentVolumeReclaimPolicy", reclaim);
        spec.putObject("capacity").put("storage", size);
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("hostPath").put("path", "/srv/" + name);
        pv.putObject("status").put("phase", "Pending");
        return pv;
    }

    static String annotation(JsonNode object, String key) {
        return object.path("metadata").path("annotations").path(key).asText("");
    }
}
