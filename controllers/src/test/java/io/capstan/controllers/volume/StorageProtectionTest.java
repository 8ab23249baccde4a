package io.capstan.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import io.capstan.controllers.Finalizers;
import org.junit.jupiter.api.Test;

/** Claims stay while scheduled, unfinished pods use them; volumes while they are bound. */
class StorageProtectionTest {

    final FakeApi api = new FakeApi();
    final FakeCache claims = new FakeCache();
    final FakeCache volumes = new FakeCache();
    final FakeCache pods = new FakeCache();
    final StorageProtection protection = new StorageProtection(api, claims, volumes, pods);

    @Test
    void aDeletedClaimStaysWhileARunningPodUsesIt() {
        claims.put(api.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, deleting(claim())));
        ObjectNode pod = pod("node-1", "Running");
        pods.put(pod);

        protection.claim("default/data");
        assertThat(Finalizers.has(api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data"), "kubernetes.io/pvc-protection")).isTrue();

        Json.with(pod, "status").put("phase", "Succeeded");
        protection.claim("default/data");
        assertThat(Finalizers.has(api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data"), "kubernetes.io/pvc-protection")).isFalse();
    }

    @Test
    void aPodNotYetScheduledDoesNotHoldTheClaim() {
        claims.put(api.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, deleting(claim())));
        pods.put(pod("", "Pending"));

        protection.claim("default/data");

        assertThat(Finalizers.has(api.get(Kinds.PERSISTENT_VOLUME_CLAIMS, "default", "data"), "kubernetes.io/pvc-protection")).isFalse();
    }

    @Test
    void aClaimNotBeingDeletedIsLeftAlone() {
        claims.put(api.seed(Kinds.PERSISTENT_VOLUME_CLAIMS, claim()));

        protection.claim("default/data");

        assertThat(api.actions()).isEmpty();
    }

    @Test
    void aDeletedVolumeStaysWhileBound() {
        ObjectNode pv = deleting(Json.object());
        Json.with(pv, "metadata").put("name", "pv");
        Json.with(pv, "status").put("phase", "Bound");
        volumes.put(api.seed(Kinds.PERSISTENT_VOLUMES, pv.deepCopy()));
        protection.volume("pv");
        assertThat(Finalizers.has(api.get(Kinds.PERSISTENT_VOLUMES, "", "pv"), "kubernetes.io/pv-protection")).isTrue();

        Json.with(pv, "status").put("phase", "Released");
        volumes.put(api.seed(Kinds.PERSISTENT_VOLUMES, pv));
        protection.volume("pv");
        assertThat(Finalizers.has(api.get(Kinds.PERSISTENT_VOLUMES, "", "pv"), "kubernetes.io/pv-protection")).isFalse();
    }

    private static ObjectNode claim() {
        ObjectNode claim = Json.object();
        claim.putObject("metadata").put("name", "data").put("namespace", "default").putArray("finalizers").add("kubernetes.io/pvc-protection");
        return claim;
    }

    private static ObjectNode deleting(ObjectNode object) {
        ObjectNode meta = Json.with(object, "metadata");
        meta.put("deletionTimestamp", "2026-11-25T10:00:00Z");
        if (!meta.has("finalizers")) {
            meta.putArray("finalizers").add("kubernetes.io/pv-protection");
        }
        return object;
    }

    private static ObjectNode pod(String node, String phase) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "app").put("namespace", "default");
        ObjectNode spec = pod.putObject("spec").put("nodeName", node);
        spec.putArray("volumes").addObject().put("name", "v").putObject("persistentVolumeClaim").put("claimName", "data");
        pod.putObject("status").put("phase", phase);
        return pod;
    }
}
