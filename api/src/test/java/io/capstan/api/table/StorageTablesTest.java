package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageTablesTest {

    @Test
    void persistentVolumeShowsCapacityModesPolicyClaimAndClass() {
        assertThat(Objects.defaultHeaders(StorageTables.PERSISTENT_VOLUME)).containsExactly("NAME", "CAPACITY", "ACCESS MODES",
                "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE");
        assertThat(row(StorageTables.PERSISTENT_VOLUME, """
                metadata: {name: pv1}
                spec:
                  capacity: {storage: 10Gi}
                  accessModes: [ReadWriteMany, ReadWriteOnce, ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Retain
                  storageClassName: local
                  volumeMode: Filesystem
                  claimRef: {namespace: default, name: data}
                status: {phase: Bound}
                """)).containsExactly("pv1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "local", "<unset>", "", "<unknown>",
                "Filesystem");
        assertThat(row(StorageTables.PERSISTENT_VOLUME, """
                metadata: {name: pv2, deletionTimestamp: "%s", annotations: {volume.beta.kubernetes.io/storage-class: old}}
                spec: {storageClassName: new}
                status: {phase: Released}
                """.formatted(ago("1s"))).subList(1, 11)).containsExactly("0", "", "", "Terminating", "", "old", "<unset>", "",
                "<unknown>", "<unset>");
    }

    @Test
    void persistentVolumeClaimShowsCapacityOnlyOnceBound() {
        assertThat(Objects.defaultHeaders(StorageTables.PERSISTENT_VOLUME_CLAIM)).containsExactly("NAME", "STATUS", "VOLUME", "CAPACITY",
                "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE");
        assertThat(row(StorageTables.PERSISTENT_VOLUME_CLAIM, """
                metadata: {name: data}
                spec: {storageClassName: local, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                status: {phase: Pending}
                """)).containsExactly("data", "Pending", "", "", "", "local", "<unset>", "<unknown>", "<unset>");
        assertThat(row(StorageTables.PERSISTENT_VOLUME_CLAIM, """
                metadata: {name: data}
                spec: {volumeName: pv1, volumeMode: Block, volumeAttributesClassName: gold}
                status: {phase: Bound, capacity: {storage: 5Gi}, accessModes: [ReadWriteOncePod]}
                """)).containsExactly("data", "Bound", "pv1", "5Gi", "RWOP", "", "gold", "<unknown>", "Block");
    }


    @Test
    void storageClassMarksTheDefaultAndFillsKubernetesDefaults() {
        assertThat(Objects.headers(StorageTables.STORAGE_CLASS)).containsExactly("NAME", "PROVISIONER", "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE");
        assertThat(row(StorageTables.STORAGE_CLASS, """
                metadata: {name: local, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
                provisioner: capstan.io/local-path
                volumeBindingMode: WaitForFirstConsumer
                allowVolumeExpansion: true
                """)).containsExactly("local (default)", "capstan.io/local-path", "Delete", "WaitForFirstConsumer", true, "<unknown>");
        assertThat(row(StorageTables.STORAGE_CLASS, "metadata: {name: slow}\nprovisioner: p\nreclaimPolicy: Retain").subList(0, 5))
                .containsExactly("slow", "p", "Retain", "Immediate", false);
    }
}
