package io.capstan.controllers.volume;

import static io.capstan.controllers.volume.VolumeFixture.annotation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.controllers.RecordedEvents;
import org.junit.jupiter.api.Test;

/** The binder's claim and volume halves against a FakeApi. */
class PersistentVolumeBinderTest {

    final VolumeFixture f = new VolumeFixture();

    @Test
    void aClaimIsBoundToTheSmallestAvailableVolumeThatFits() {
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("big", "", "10Gi", "Retain"));
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("small", "", "2Gi", "Retain"));
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("tiny", "", "512Mi", "Retain"));
        ObjectNode claim = f.seedClaim("data", "", "1Gi");

        f.settle();

        ObjectNode bound = f.claim("data");
        assertThat(bound.path("spec").path("volumeName").asText()).isEqualTo("small");
        assertThat(annotation(bound, "pv.kubernetes.io/bind-completed")).isEqualTo("yes");
        assertThat(annotation(bound, "pv.kubernetes.io/bound-by-controller")).isEqualTo("yes");
        assertThat(bound.path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(bound.path("status").path("capacity").path("storage").asText()).isEqualTo("2Gi");
        assertThat(bound.path("status").path("accessModes").get(0).asText()).isEqualTo("ReadWriteOnce");
        ObjectNode pv = f.volume("small");
        assertThat(pv.path("spec").path("claimRef").path("uid").asText()).isEqualTo(Json.text(claim, "metadata", "uid"));
        assertThat(pv.path("spec").path("claimRef").path("name").asText()).isEqualTo("data");
        assertThat(annotation(pv, "pv.kubernetes.io/bound-by-controller")).isEqualTo("yes");
        assertThat(pv.path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(f.volume("big").path("status").path("phase").asText()).isEqualTo("Available");
        assertThat(f.volume("tiny").path("status").path("phase").asText()).isEqualTo("Available");
    }

    @Test
    void classSelectorAndAccessModesMustMatch() {
        ObjectNode otherClass = VolumeFixture.volumeJson("other-class", "gold", "5Gi", "Retain");
        ObjectNode unlabelled = VolumeFixture.volumeJson("unlabelled", "", "5Gi", "Retain");
        ObjectNode readOnly = VolumeFixture.volumeJson("read-only", "", "5Gi", "Retain");
        Json.with(readOnly, "metadata", "labels").put("tier", "db");
        Json.with(readOnly, "spec").putArray("accessModes").add("ReadOnlyMany");
        ObjectNode right = VolumeFixture.volumeJson("right", "", "50Gi", "Retain");
        Json.with(right, "metadata", "labels").put("tier", "db");
        for (ObjectNode pv : new ObjectNode[] {otherClass, unlabelled, readOnly, right}) {
            f.c.seed(Kinds.PERSISTENT_VOLUMES, pv);
        }
        ObjectNode claim = VolumeFixture.claimJson("data", "", "1Gi");
        Json.with(claim, "spec", "selector", "matchLabels").put("tier", "db");
        f.c.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claim);

        f.settle();

        assertThat(f.claim("data").path("spec").path("volumeName").asText()).isEqualTo("right");
    }

    @Test
    void aClaimWithoutClassOrVolumeWaitsAndSaysWhy() {
        f.seedClaim("data", "", "1Gi");

        f.settle();

        assertThat(f.claim("data").path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(RecordedEvents.of(f.c.api))
                .containsExactly("Normal FailedBinding data: no persistent volumes available for this claim and no storage class is set");
    }

    @Test
    void aClaimNamingAVolumeGetsThatVolumeAndIsNotMarkedBoundByController() {
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("small", "", "2Gi", "Retain"));
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("chosen", "", "20Gi", "Retain"));
        ObjectNode claim = VolumeFixture.claimJson("data", "", "1Gi");
        Json.with(claim, "spec").put("volumeName", "chosen");
        f.c.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claim);

        f.settle();

        ObjectNode bound = f.claim("data");
        assertThat(bound.path("spec").path("volumeName").asText()).isEqualTo("chosen");
        assertThat(bound.path("status").path("phase").asText()).isEqualTo("Bound");
        assertThat(annotation(bound, "pv.kubernetes.io/bound-by-controller")).isEmpty();
        assertThat(f.volume("small").path("spec").has("claimRef")).isFalse();
    }

    @Test
    void aVolumeNamedByAClaimThatDoesNotFitIsRefusedWithTheReason() {
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("small", "", "512Mi", "Retain"));
        ObjectNode claim = VolumeFixture.claimJson("data", "", "1Gi");
        Json.with(claim, "spec").put("volumeName", "small");
        f.c.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claim);

        f.settle();

        assertThat(f.claim("data").path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(RecordedEvents.of(f.c.api))
                .contains("Warning VolumeMismatch data: Cannot bind to requested volume \"small\": requested PV is too small");
    }

    @Test
    void aVolumePreBoundToAClaimByNameGoesToThatClaimOnly() {
        ObjectNode pv = VolumeFixture.volumeJson("reserved", "", "5Gi", "Retain");
        Json.with(pv, "spec", "claimRef").put("namespace", "default").put("name", "wanted");
        f.c.seed(Kinds.PERSISTENT_VOLUMES, pv);
        f.seedClaim("other", "", "1Gi");
        f.seedClaim("wanted", "", "1Gi");

        f.settle();

        assertThat(f.claim("wanted").path("spec").path("volumeName").asText()).isEqualTo("reserved");
        assertThat(f.claim("other").path("spec").has("volumeName")).isFalse();
        assertThat(annotation(f.volume("reserved"), "pv.kubernetes.io/bound-by-controller")).isEmpty();
    }

    @Test
    void waitForFirstConsumerClaimsWaitForTheScheduler() {
        f.seedClass("local-path", LocalPathProvisioner.NAME, "WaitForFirstConsumer", "Delete");
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("static", "local-path", "5Gi", "Delete"));
        f.seedClaim("data", "local-path", "1Gi");

        f.settle();

        ObjectNode claim = f.claim("data");
        assertThat(claim.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(annotation(claim, "volume.kubernetes.io/storage-provisioner")).isEmpty();
        assertThat(f.c.api.find(Kinds.PERSISTENT_VOLUMES, "", "pvc-" + Json.text(claim, "metadata", "uid"))).isEmpty();
        assertThat(RecordedEvents.of(f.c.api))
                .containsExactly("Normal WaitForFirstConsumer data: waiting for first consumer to be created before binding");
    }

    @Test
    void aBoundClaimWhoseVolumeIsGoneIsLost() {
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("pv", "", "2Gi", "Retain"));
        f.seedClaim("data", "", "1Gi");
        f.settle();

        f.c.api.delete(Kinds.PERSISTENT_VOLUMES, "", "pv", null, null);
        f.settle();

        assertThat(f.claim("data").path("status").path("phase").asText()).isEqualTo("Lost");
        assertThat(RecordedEvents.of(f.c.api))
                .contains("Warning ClaimLost data: Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    }

    @Test
    void aVolumeWhoseClaimIsDeletedIsReleasedAndRetained() {
        bindThenDeleteTheClaim("Retain");

        ObjectNode pv = f.volume("pv");
        assertThat(pv.path("status").path("phase").asText()).isEqualTo("Released");
        assertThat(pv.path("spec").path("claimRef").path("name").asText()).isEqualTo("data");

        // A new claim of the same name is another claim: the released volume is not given to it.
        f.seedClaim("data", "", "1Gi");
        f.settle();
        assertThat(f.claim("data").path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(f.volume("pv").path("status").path("phase").asText()).isEqualTo("Released");
    }

    @Test
    void aHandMadeVolumeWithPolicyDeleteFailsToBeDeleted() {
        bindThenDeleteTheClaim("Delete");

        ObjectNode pv = f.volume("pv");
        assertThat(pv.path("status").path("phase").asText()).isEqualTo("Failed");
        assertThat(RecordedEvents.of(f.c.api)).contains("Warning VolumeFailedDelete pv: error getting deleter volume plugin for volume "
                + "\"pv\": no deletable volume plugin matched");
    }

    /** Volume "pv" with the policy bound to claim "data", then the claim deleted. */
    private void bindThenDeleteTheClaim(String policy) {
        f.c.seed(Kinds.PERSISTENT_VOLUMES, VolumeFixture.volumeJson("pv", "", "2Gi", policy));
        f.seedClaim("data", "", "1Gi");
        f.settle();
        f.c.api.delete(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data", null, null);
        f.settle();
    }
}
