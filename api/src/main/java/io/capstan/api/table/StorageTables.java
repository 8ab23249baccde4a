package io.capstan.api.table;

import static io.capstan.api.table.Cells.UNSET;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Volumes: PersistentVolume, PersistentVolumeClaim, StorageClass. */
final class StorageTables {

    private StorageTables() {}

    static final KindTable PERSISTENT_VOLUME = new KindTable(Columns.name()
            .string("Capacity", "capacity is the description of the persistent volume's resources and capacity. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity")
            .string("Access Modes", "accessModes contains all ways the volume can be mounted. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes")
            .string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from "
                    + "its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for "
                    + "dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume "
                    + "plugin underlying this PersistentVolume. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming")
            .string("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase")
            .string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. "
                    + "Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding")
            .string("StorageClass", "StorageClass of the pv")
            .string("VolumeAttributesClass", "VolumeAttributesClass of the pv")
            .string("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and "
                    + "tidy display in the CLI.")
            .age()
            .wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in "
                    + "raw block state. Value of Filesystem is implied when not included in spec.")
            .build(),
            (pv, now) -> {
                JsonNode spec = pv.path("spec");
                JsonNode claim = spec.path("claimRef");
                String claimText = claim.isObject() ? text(claim, "namespace") + "/" + text(claim, "name") : "";
                return List.of(name(pv), Cells.quantity(spec.path("capacity").path("storage")), accessModes(spec.path("accessModes")),
                        text(spec, "persistentVolumeReclaimPolicy"), Cells.deleting(pv) ? "Terminating" : text(pv, "status", "phase"),
                        claimText, storageClass(pv), orUnset(spec.path("volumeAttributesClassName")), text(pv, "status", "reason"),
                        TableConvertor.age(pv, now), orUnset(spec.path("volumeMode")));
            });

    static final KindTable PERSISTENT_VOLUME_CLAIM = new KindTable(Columns.name()
            .string("Status", "phase represents the current phase of PersistentVolumeClaim.")
            .string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim.")
            .string("Capacity", "capacity represents the actual resources of the underlying volume.")
            .string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has. More info: "
                    + "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1")
            .string("StorageClass", "StorageClass of the pvc")
            .string("VolumeAttributesClass", "VolumeAttributesClass of the pvc")
            .age()
            .wide("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied "
                    + "when not included in claim spec.")
            .build(),
            (pvc, now) -> {
                JsonNode spec = pvc.path("spec");
                String volume = text(spec, "volumeName");
                String capacity = "";
                String modes = "";
                if (!volume.isEmpty()) {
                    modes = accessModes(pvc.path("status").path("accessModes"));
                    capacity = Cells.quantity(pvc.path("status").path("capacity").path("storage"));
                }
                return List.of(name(pvc), Cells.deleting(pvc) ? "Terminating" : text(pvc, "status", "phase"), volume, capacity, modes,
                        storageClass(pvc), orUnset(spec.path("volumeAttributesClassName")), TableConvertor.age(pvc, now),
                        orUnset(spec.path("volumeMode")));
            });

    static final KindTable STORAGE_CLASS = new KindTable(Columns.name()
            .string("Provisioner", "provisioner indicates the type of the provisioner.")
            .string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this "
                    + "storage class. Defaults to Delete.")
            .string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  "
                    + "When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the "
                    + "VolumeScheduling feature.")
            .string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand.")
            .age().build(),
            (sc, now) -> {
                JsonNode annotations = sc.path("metadata").path("annotations");
                boolean isDefault = "true".equals(annotations.path("storageclass.kubernetes.io/is-default-class").asText())
                        || "true".equals(annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText());
                String reclaim = text(sc, "reclaimPolicy");
                String binding = text(sc, "volumeBindingMode");
                return List.of(isDefault ? name(sc) + " (default)" : name(sc), text(sc, "provisioner"),
                        reclaim.isEmpty() ? "Delete" : reclaim, binding.isEmpty() ? "Immediate" : binding,
                        sc.path("allowVolumeExpansion").asBoolean(false), TableConvertor.age(sc, now));
            });

    private static String orUnset(JsonNode value) {
        return value.isTextual() ? value.asText() : UNSET;
    }

    /** The storage-class annotation wins over spec.storageClassName, as for the deprecated beta annotation. */
    private static String storageClass(JsonNode obj) {
        JsonNode annotation = obj.path("metadata").path("annotations").path("volume.beta.kubernetes.io/storage-class");
        return annotation.isTextual() ? annotation.asText() : text(obj, "spec", "storageClassName");
    }

    /** "RWO,ROX,RWX,RWOP" in that order, each once. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(m -> present.add(m.asText()));
        List<String> out = new ArrayList<>();
        if (present.contains("ReadWriteOnce")) {
            out.add("RWO");
        }
        if (present.contains("ReadOnlyMany")) {
            out.add("ROX");
        }
        if (present.contains("ReadWriteMany")) {
            out.add("RWX");
        }
        if (present.contains("ReadWriteOncePod")) {
            out.add("RWOP");
        }
        return String.join(",", out);
    }
}
