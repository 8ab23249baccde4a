package io.capstan.controllers.volume;

import static io.capstan.controllers.volume.VolumeFixture.annotation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.controllers.RecordedEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provisioning for local-path claims once the scheduler picked a node, and deleting what the claim no longer needs. */
class LocalPathProvisionerTest {

    final VolumeFixture f = new VolumeFixture();

    @BeforeEach
    void cluster() {
        f.seedClass("local-path", LocalPathProvisioner.NAME, "WaitForFirstConsumer", "Delete");
        f.seedClass("keep", LocalPathProvisioner.NAME, "WaitForFirstConsumer", "Retain");
        f.seedNode("node-1");
    }

    private ObjectNode scheduledClaim(String name, String className) {
        ObjectNode claim = VolumeFixture.claimJson(name, className, "3Gi");
        Json.with(claim, "metadata", "annotations").put("volume.kubernetes.io/selected-node", "node-1");
        return f.c.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claim);
    }

    /** Claim "data" of the class provisioned and bound, then deleted; its uid. */
    private String provisionThenDeleteTheClaim(String className) {
        String uid = Json.text(scheduledClaim("data", className), "metadata", "uid");
        f.settle();
        f.c.api.delete(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data", null, null);
        f.settle();
        return uid;
    }

    @Test
    void aScheduledClaimGetsADirectoryVolumeOnItsNodeAndIsBoundToIt() {
        ObjectNode claim = scheduledClaim("data", "local-path");
        String uid = Json.text(claim, "metadata", "uid");

        f.settle();

        ObjectNode pv = f.volume("pvc-" + uid);
        assertThat(annotation(pv, "pv.kubernetes.io/provisioned-by")).isEqualTo("capstan.io/local-path");
        assertThat(pv.path("spec").path("hostPath").path("path").asText()).isEqualTo("/data/storage/pvc-" + uid + "_default_data");
        assertThat(pv.path("spec").path("hostPath").path("type").asText()).isEqualTo("DirectoryOrCreate");
        assertThat(pv.path("spec").path("capacity").path("storage").asText()).isEqualTo("3Gi");
        assertThat(pv.path("spec").path("accessModes").get(0).asText()).isEqualTo("ReadWriteOnce");
        assertThat(pv.path("spec").path("persistentVolumeReclaimPolicy").asText()).isEqualTo("Delete");
        assertThat(pv.path("spec").path("storageClassName").asText()).isEqualTo("local-path");
        assertThat(pv.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms").get(0).path("matchExpressions").get(0))
                .isEqualTo(Json.object().put("key", "kubernetes.io/hostname").put("operator", "In").set("values", Json.array().add("node-1")));
        assertThat(pv.path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(annotation(pv, "pv.kubernetes.io/bound-by-controller")).isEmpty();

        ObjectNode bound = f.claim("data");
        assertThat(bound.path("spec").path("volumeName").asText()).isEqualTo("pvc-" + uid);
        assertThat(bound.path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(annotation(bound, "volume.kubernetes.io/storage-provisioner")).isEqualTo("capstan.io/local-path");
        assertThat(annotation(bound, "pv.kubernetes.io/bind-completed")).isEqualTo("yes");
        assertThat(RecordedEvents.of(f.c.api)).contains(
                "Normal ExternalProvisioning data: Waiting for a volume to be created either by the external provisioner "
                        + "'capstan.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify "
                        + "that the provisioner is running and correctly registered.",
                "Normal Provisioning data: External provisioner is provisioning volume for claim \"default/data\"",
                "Normal ProvisioningSucceeded data: Successfully provisioned volume pvc-" + uid);
    }

    @Test
    void aClaimNotYetScheduledGetsNoVolume() {
        f.seedClaim("data", "local-path", "1Gi");

        f.settle();

        assertThat(f.c.api.listAll(Kinds.PERSISTENT_VOLUMES, "", java.util.Map.of()).items()).isEmpty();
    }

    @Test
    void aVolumeWithPolicyDeleteIsDeletedWhenItsClaimIs() {
        String uid = provisionThenDeleteTheClaim("local-path");

        assertThat(f.c.api.find(Kinds.PERSISTENT_VOLUMES, "", "pvc-" + uid)).isEmpty();
        assertThat(f.c.writes()).contains("delete persistentvolumes pvc-" + uid + " null");
    }

    @Test
    void aVolumeWithPolicyRetainStaysReleasedWithItsPath() {
        String uid = provisionThenDeleteTheClaim("keep");

        ObjectNode pv = f.volume("pvc-" + uid);
        assertThat(pv.path("status").path("phase").asText()).isEqualTo("Released");
        assertThat(pv.path("spec").path("persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
        assertThat(pv.path("spec").path("hostPath").path("path").asText()).endsWith("pvc-" + uid + "_default_data");
    }

    @Test
    void anImmediateLocalPathClaimCannotBeProvisionedWithoutANode() {
        f.seedClass("now", LocalPathProvisioner.NAME, "Immediate", "Delete");
        f.seedClaim("data", "now", "1Gi");

        f.settle();

        assertThat(f.claim("data").path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(RecordedEvents.of(f.c.api)).contains("Warning ProvisioningFailed data: failed to provision volume with StorageClass "
                + "\"now\": configuration error, no node was specified");
    }
}
