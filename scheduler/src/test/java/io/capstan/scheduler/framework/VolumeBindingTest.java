package io.capstan.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.scheduler.plugins.VolumeBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VolumeBinding filter on hand-built snapshots: claims, volumes and classes in fake caches. */
class VolumeBindingTest {

    static final String POD = """
            {"metadata": {"name": "app"}, "spec": {"volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "data"}}]}}""";

    final Snapshot s = new Snapshot();

    @BeforeEach
    void nodes() {
        s.node("a", "4", Map.of("kubernetes.io/hostname", "a"));
        s.node("b", "4", Map.of("kubernetes.io/hostname", "b"));
        s.classes.put(storageClass("local-path", "capstan.io/local-path", "WaitForFirstConsumer"));
        s.classes.put(storageClass("manual", "kubernetes.io/no-provisioner", "WaitForFirstConsumer"));
        s.classes.put(storageClass("fast", "example.com/fast", "Immediate"));
    }

    @Test
    void aBoundClaimKeepsThePodOnTheNodesItsVolumeAllows() {
        s.volumes.put(volume("pv-b", "local-path", "b", null));
        s.claims.put(boundClaim("data", "pv-b"));

        assertThat(s.schedule(POD).node()).isEqualTo("b");
    }

    @Test
    void aVolumeOnNoNodeOfTheClusterIsANodeAffinityConflict() {
        s.volumes.put(volume("pv-c", "local-path", "c", null));
        s.claims.put(boundClaim("data", "pv-c"));

        Decision d = s.schedule(POD);

        assertThat(d.scheduled()).isFalse();
        assertThat(d.message()).isEqualTo("0/2 nodes are available: 2 node(s) had volume node affinity conflict.");
    }

    @Test
    void aClaimBoundToAVolumeThatIsGoneFitsNowhere() {
        s.claims.put(boundClaim("data", "pv-gone"));

        assertThat(s.schedule(POD).message())
                .isEqualTo("0/2 nodes are available: 2 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s).");
    }

    @Test
    void anUnboundImmediateClaimStopsThePodBeforeAnyNodeIsTried() {
        s.claims.put(claim("data", "fast"));

        Decision d = s.schedule(POD);

        assertThat(d.message()).isEqualTo("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
        Preemption.Result p = new Preemption(s.algorithm).preempt(Snapshot.pod(POD), s.cluster.nodes(), List.of(), "");
        assertThat(p.message()).isEqualTo("0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
    }

    @Test
    void aMissingClaimIsNamed() {
        assertThat(s.schedule(POD).message()).isEqualTo("0/2 nodes are available: persistentvolumeclaim \"data\" not found.");
    }

    @Test
    void aClaimBeingDeletedIsNamed() {
        ObjectNode claim = claim("data", "local-path");
        Json.with(claim, "metadata").put("deletionTimestamp", "2026-11-25T10:00:00Z");
        s.claims.put(claim);

        assertThat(s.schedule(POD).message()).isEqualTo("0/2 nodes are available: persistentvolumeclaim \"data\" is being deleted.");
    }

    @Test
    void aWaitForFirstConsumerClaimOfAProvisioningClassFitsAnyNodeAndLearnsTheChoice() {
        s.claims.put(claim("data", "local-path"));

        Decision d = s.schedule(POD);

        assertThat(d.scheduled()).isTrue();
        VolumeBinding binding = new VolumeBinding(s.volumeObjects);
        assertThat(binding.claimsAwaitingNode(Snapshot.pod(POD), d.node())).containsExactly("data");
    }

    @Test
    void aClaimWithASelectedNodeGoesOnlyThereAndNeedsNoFurtherAnnotation() {
        ObjectNode claim = claim("data", "local-path");
        Json.with(claim, "metadata", "annotations").put("volume.kubernetes.io/selected-node", "b");
        s.claims.put(claim);

        assertThat(s.schedule(POD).node()).isEqualTo("b");
        assertThat(new VolumeBinding(s.volumeObjects).claimsAwaitingNode(Snapshot.pod(POD), "b")).isEmpty();
    }

    @Test
    void withoutAProvisionerOnlyNodesWithAnAvailableVolumeFit() {
        s.claims.put(claim("data", "manual"));
        assertThat(s.schedule(POD).message())
                .isEqualTo("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.");

        s.volumes.put(volume("pv-a", "manual", "a", "Available"));
        assertThat(s.schedule(POD).node()).isEqualTo("a");
    }

    @Test
    void aPodWithoutClaimsIsNotConcerned() {
        assertThat(s.schedule("{\"metadata\": {\"name\": \"plain\"}}").scheduled()).isTrue();
    }

    static ObjectNode storageClass(String name, String provisioner, String mode) {
        ObjectNode sc = Json.object().put("provisioner", provisioner).put("volumeBindingMode", mode);
        sc.putObject("metadata").put("name", name);
        return sc;
    }

    static ObjectNode claim(String name, String className) {
        ObjectNode c = Json.object();
        c.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        ObjectNode spec = c.putObject("spec").put("storageClassName", className);
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", "1Gi");
        c.putObject("status").put("phase", "Pending");
        return c;
    }

    static ObjectNode boundClaim(String name, String volume) {
        ObjectNode c = claim(name, "local-path");
        Json.with(c, "spec").put("volumeName", volume);
        Json.with(c, "metadata", "annotations").put("pv.kubernetes.io/bind-completed", "yes");
        Json.with(c, "status").put("phase", "Bound");
        return c;
    }

    static ObjectNode volume(String name, String className, String node, String phase) {
        ObjectNode v = Json.object();
        v.putObject("metadata").put("name", name);
        ObjectNode spec = v.putObject("spec").put("storageClassName", className);
        spec.putObject("capacity").put("storage", "5Gi");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject().putArray("matchExpressions")
                .addObject().put("key", "kubernetes.io/hostname").put("operator", "In").set("values", Json.array().add(node));
        if (phase != null) {
            v.putObject("status").put("phase", phase);
        }
        return v;
    }
}
