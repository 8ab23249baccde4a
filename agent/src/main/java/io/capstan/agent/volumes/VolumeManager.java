package io.capstan.agent.volumes;

import io.capstan.agent.PodObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sets up a pod's volumes on the host under {@code PODS/UID/volumes/<plugin>/<name>} as the kubelet lays them out,
 * keeps configMap, secret, downwardAPI and projected contents current, and tears them down. Everything is
 * idempotent: setting up a pod again only writes what changed.
 */
public final class VolumeManager {

    static final String EMPTY_DIR = "kubernetes.io~empty-dir";

    private final Path podsDir;
    private final PodObjects objects;
    private final Projections projections;
    private final Mounter mounter;
    private final Supplier<Map<String, Quantity>> allocatable;

    /**
     * @param podsDir where pod directories live (DATA/pods)
     * @param allocatable the node's allocatable resources (downward API fallbacks, memory emptyDir size)
     */
    public VolumeManager(Path podsDir, PodObjects objects, TokenSource tokens, Mounter mounter, Supplier<Map<String, Quantity>> allocatable) {
        this.podsDir = podsDir;
        this.objects = objects;
        this.projections = new Projections(objects, tokens, allocatable);
        this.mounter = mounter;
        this.allocatable = allocatable;
    }

    /** The pod's directory, {@code PODS/UID}. */
    public Path podDir(String podUid) {
        return podsDir.resolve(podUid);
    }

    /**
     * Sets up every volume of the pod and returns them by name, in spec order.
     *
     * @throws VolumeError with the kubelet's FailedMount message for the first volume that cannot be set up
     */
    public Map<String, MountedVolume> setUp(Pod pod) {
        Map<String, MountedVolume> out = new LinkedHashMap<>();
        for (Volume volume : volumes(pod)) {
            out.put(volume.getName(), setUp(pod, volume));
        }
        return out;
    }

    /**
     * Re-writes the configMap, secret, downwardAPI and projected volumes of a running pod whose sources changed
     * (an atomic swap each); returns the names of those rewritten. A source that is gone or broken leaves the
     * files as they were, as the kubelet does; its error is in {@code errors}.
     */
    public List<String> refresh(Pod pod, List<VolumeError> errors) {
        List<String> changed = new ArrayList<>();
        for (Volume volume : volumes(pod)) {
            if (!Projections.handles(volume)) {
                continue;
            }
            try {
                if (projections.write(pod, volume, dir(pod, Projections.plugin(volume), volume.getName()))) {
                    changed.add(volume.getName());
                }
            } catch (VolumeError e) {
                errors.add(e);
            }
        }
        return changed;
    }

    /** Unmounts what was mounted for the pod and deletes its directory (never following symlinks out of it). */
    public void teardown(String podUid) {
        Path dir = podDir(podUid);
        if (!Files.exists(dir)) {
            return;
        }
        for (Path point : mounter.mountPointsUnder(dir)) {
            mounter.unmount(point);
        }
        try {
            AtomicWriter.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + dir + ": " + e.getMessage(), e);
        }
    }

    private MountedVolume setUp(Pod pod, Volume volume) {
        String name = volume.getName();
        if (volume.getEmptyDir() != null) {
            return new MountedVolume(name, emptyDir(pod, volume.getEmptyDir(), dir(pod, EMPTY_DIR, name)), false);
        }
        if (volume.getHostPath() != null) {
            return new MountedVolume(name, hostPath(name, volume.getHostPath()), false);
        }
        if (Projections.handles(volume)) {
            Path dir = dir(pod, Projections.plugin(volume), name);
            projections.write(pod, volume, dir);
            return new MountedVolume(name, dir, true);
        }
        if (volume.getPersistentVolumeClaim() != null) {
            var source = volume.getPersistentVolumeClaim();
            return new MountedVolume(name, claim(pod, name, source.getClaimName()), Boolean.TRUE.equals(source.getReadOnly()));
        }
        throw VolumeError.setUpFailed(name, "volume type not supported by this node");
    }

    private Path emptyDir(Pod pod, EmptyDirVolumeSource source, Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            Path real = dir.toRealPath();
            if ("Memory".equals(source.getMedium()) && !mounter.mountPointsUnder(dir).contains(real)) {
                mounter.mountTmpfs(dir, memorySize(pod, source));
            }
            // emptyDir is world-writable, whatever the umask, as the kubelet makes it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kubelet's tmpfs size: node allocatable memory, lowered to the pod's memory limit and then to sizeLimit. */
    long memorySize(Pod pod, EmptyDirVolumeSource source) {
        Quantity nodeMemory = allocatable.get().get("memory");
        long size = nodeMemory == null ? 0 : Quantity.getAmountInBytes(nodeMemory).longValue();
        long podLimit = podMemoryLimit(pod);
        if (podLimit > 0 && (size == 0 || podLimit <= size)) {
            size = podLimit;
        }
        if (source.getSizeLimit() != null) {
            long limit = Quantity.getAmountInBytes(source.getSizeLimit()).longValue();
            if (limit > 0 && (size == 0 || limit <= size)) {
                size = limit;
            }
        }
        return size;
    }

    // The pod's memory limit when every container has one (else the pod is unlimited): the sum of its containers,
    // or the largest init container if that is more.
    private static long podMemoryLimit(Pod pod) {
        long sum = 0;
        for (Container c : pod.getSpec().getContainers()) {
            long limit = memoryLimit(c);
            if (limit <= 0) {
                return 0;
            }
            sum += limit;
        }
        for (Container c : pod.getSpec().getInitContainers() == null ? List.<Container>of() : pod.getSpec().getInitContainers()) {
            long limit = memoryLimit(c);
            if (limit <= 0) {
                return 0;
            }
            sum = Math.max(sum, limit);
        }
        return sum;
    }

    private static long memoryLimit(Container c) {
        if (c.getResources() == null || c.getResources().getLimits() == null || c.getResources().getLimits().get("memory") == null) {
            return 0;
        }
        return Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
    }

    private static Path hostPath(String volume, HostPathVolumeSource source) {
        Path path = Path.of(source.getPath());
        String failure = HostPathCheck.check(path, source.getType());
        if (failure != null) {
            throw VolumeError.setUpFailed(volume, failure);
        }
        return path;
    }

    /** A claim's bound volume: its hostPath or local path on this node. */
    private Path claim(Pod pod, String volume, String claimName) {
        String ns = pod.getMetadata().getNamespace();
        String prefix = "error processing PVC " + ns + "/" + claimName + ": ";
        PersistentVolumeClaim pvc = objects.persistentVolumeClaim(ns, claimName).orElseThrow(() -> new VolumeError(prefix
                + "failed to fetch PVC from API server: persistentvolumeclaims \"" + claimName + "\" not found"));
        if (pvc.getMetadata().getDeletionTimestamp() != null) {
            throw new VolumeError(prefix + "PVC is being deleted");
        }
        if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
            throw new VolumeError(prefix + "PVC is not bound");
        }
        String pvName = pvc.getSpec().getVolumeName();
        if (pvName == null || pvName.isEmpty()) {
            throw new VolumeError(prefix + "PVC has empty pvc.Spec.VolumeName");
        }
        PersistentVolume pv = objects.persistentVolume(pvName).orElseThrow(() -> new VolumeError(prefix
                + "failed to fetch PV " + pvName + " from API server: persistentvolumes \"" + pvName + "\" not found"));
        var claimRef = pv.getSpec().getClaimRef();
        if (claimRef == null) {
            throw new VolumeError(prefix + "found PV object " + pvName + " but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim");
        }
        if (claimRef.getUid() != null && !claimRef.getUid().equals(pvc.getMetadata().getUid())) {
            throw new VolumeError(prefix + "found PV object " + pvName + " but its pv.Spec.ClaimRef.UID " + claimRef.getUid()
                    + " does not point to claim.UID " + pvc.getMetadata().getUid());
        }
        if (pv.getSpec().getHostPath() != null) {
            return hostPath(volume, pv.getSpec().getHostPath());
        }
        if (pv.getSpec().getLocal() != null) {
            Path path = Path.of(pv.getSpec().getLocal().getPath());
            if (!Files.exists(path)) {
                throw VolumeError.setUpFailed(volume, "path \"" + path + "\" does not exist");
            }
            return path;
        }
        throw VolumeError.setUpFailed(volume, "persistent volume " + pvName + " is neither hostPath nor local; this node cannot mount it");
    }

    private Path dir(Pod pod, String plugin, String name) {
        return podDir(pod.getMetadata().getUid()).resolve("volumes").resolve(plugin).resolve(name);
    }

    private static List<Volume> volumes(Pod pod) {
        return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }
}
