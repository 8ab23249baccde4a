package io.capstan.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.agent.FakePodObjects;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {

    @TempDir
    Path data;

    private final FakePodObjects objects = new FakePodObjects();
    private final FakeMounter mounter = new FakeMounter();
    private final List<String> tokenRequests = new ArrayList<>();
    private final TokenSource tokens = (ns, sa, aud, exp, pod, uid) -> {
        tokenRequests.add(ns + "/" + sa + " " + aud + " " + exp + " " + pod + " " + uid);
        return "token-for-" + sa;
    };

    private VolumeManager manager() {
        return new VolumeManager(data.resolve("pods"), objects, tokens, mounter,
                () -> Map.of("memory", new Quantity("8Gi"), "cpu", new Quantity("2")));
    }

    private static Pod pod(Volume... volumes) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("uid-1").withLabels(Map.of("app", "web"))
                .endMetadata().withNewSpec().withServiceAccountName("builder")
                .withContainers(new ContainerBuilder().withName("app").withNewResources()
                        .withLimits(Map.of("memory", new Quantity("1Gi"))).endResources().build())
                .withVolumes(volumes).endSpec().build();
    }

    private static String mode(Path p) throws IOException {
        return Integer.toOctalString(AtomicWriter.mode(p.toRealPath()));
    }

    @Test
    void emptyDirIsAWorldWritableDirectoryInThePodsVolumes() throws IOException {
        var v = manager().setUp(pod(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build())).get("scratch");
        assertThat(v.hostPath()).isEqualTo(data.resolve("pods/uid-1/volumes/kubernetes.io~empty-dir/scratch"));
        assertThat(Files.isDirectory(v.hostPath())).isTrue();
        assertThat(mode(v.hostPath())).isEqualTo("777");
        assertThat(v.readOnly()).isFalse();
        assertThat(mounter.mounts).isEmpty();
    }

    @Test
    void memoryEmptyDirMountsATmpfsSizedBySizeLimitThenPodLimitThenAllocatable() {
        VolumeManager m = manager();
        Volume limited = new VolumeBuilder().withName("mem").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("64Mi")).endEmptyDir().build();
        m.setUp(pod(limited));
        assertThat(mounter.mounts).containsExactly(data.resolve("pods/uid-1/volumes/kubernetes.io~empty-dir/mem") + " size=67108864");
        m.setUp(pod(limited));
        assertThat(mounter.mounts).as("mounted once").hasSize(1);

        Volume unlimited = new VolumeBuilder().withName("mem").withNewEmptyDir().withMedium("Memory").endEmptyDir().build();
        assertThat(m.memorySize(pod(unlimited), unlimited.getEmptyDir())).isEqualTo(1L << 30);
        Pod noLimits = new PodBuilder(pod(unlimited)).editSpec().editFirstContainer().withResources(null).endContainer().endSpec().build();
        assertThat(m.memorySize(noLimits, unlimited.getEmptyDir())).isEqualTo(8L << 30);
    }

    @Test
    void teardownUnmountsAndDeletesThePodDirectory() {
        VolumeManager m = manager();
        m.setUp(pod(new VolumeBuilder().withName("mem").withNewEmptyDir().withMedium("Memory").endEmptyDir().build()));
        m.teardown("uid-1");
        assertThat(mounter.mounts).isEmpty();
        assertThat(mounter.unmounted).hasSize(1);
        assertThat(data.resolve("pods/uid-1")).doesNotExist();
        m.teardown("uid-1");
    }

    @Test
    void teardownNeverFollowsAHostPathOutOfThePodDirectory() throws IOException {
        Path outside = Files.createDirectories(data.resolve("host/keep"));
        Files.writeString(outside.resolve("f"), "x");
        VolumeManager m = manager();
        var v = m.setUp(pod(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build())).get("scratch");
        Files.createSymbolicLink(v.hostPath().resolve("link"), outside);
        m.teardown("uid-1");
        assertThat(outside.resolve("f")).exists();
    }

    @Test
    void hostPathTypesAreCheckedWithTheKubeletsMessages() throws IOException {
        Path dir = Files.createDirectories(data.resolve("host/dir"));
        Path file = Files.writeString(data.resolve("host/file"), "x");
        VolumeManager m = manager();
        assertThat(m.setUp(pod(hostPath(dir, "Directory"))).get("h").hostPath()).isEqualTo(dir);
        assertThat(m.setUp(pod(hostPath(file, "File"))).get("h").hostPath()).isEqualTo(file);
        assertThat(m.setUp(pod(hostPath(data.resolve("nowhere"), null))).get("h").hostPath()).isEqualTo(data.resolve("nowhere"));
        assertThatThrownBy(() -> m.setUp(pod(hostPath(data.resolve("missing"), "Directory")))).isInstanceOf(VolumeError.class)
                .hasMessage("MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: " + data.resolve("missing") + " does not exist");
        assertThatThrownBy(() -> m.setUp(pod(hostPath(file, "Directory"))))
                .hasMessageEndingWith("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> m.setUp(pod(hostPath(dir, "File")))).hasMessageEndingWith(dir + " is not a file");
        assertThatThrownBy(() -> m.setUp(pod(hostPath(file, "Socket")))).hasMessageEndingWith(file + " is not a socket file");
        assertThatThrownBy(() -> m.setUp(pod(hostPath(file, "BlockDevice")))).hasMessageEndingWith(file + " is not a block device");
        assertThat(m.setUp(pod(hostPath(Path.of("/dev/null"), "CharDevice"))).get("h").hostPath()).isEqualTo(Path.of("/dev/null"));
        assertThatThrownBy(() -> m.setUp(pod(hostPath(file, "CharDevice")))).hasMessageEndingWith(file + " is not a character device");
    }

    @Test
    void orCreateTypesCreateWhatIsMissing() throws IOException {
        VolumeManager m = manager();
        m.setUp(pod(hostPath(data.resolve("made/deep/dir"), "DirectoryOrCreate")));
        assertThat(data.resolve("made/deep/dir")).isDirectory();
        assertThat(mode(data.resolve("made/deep/dir"))).isEqualTo("755");
        m.setUp(pod(hostPath(data.resolve("made/file"), "FileOrCreate")));
        assertThat(data.resolve("made/file")).isRegularFile();
        assertThat(mode(data.resolve("made/file"))).isEqualTo("644");
    }

    private static Volume hostPath(Path p, String type) {
        return new VolumeBuilder().withName("h").withNewHostPath().withPath(p.toString()).withType(type).endHostPath().build();
    }

    @Test
    void configMapVolumeHoldsEveryKeyWithTheDefaultModeReadOnly() throws IOException {
        objects.configMap("prod", "cfg", Map.of("game.properties", "lives=3", "ui", "blue"));
        var v = manager().setUp(pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("cfg").endConfigMap().build())).get("c");
        assertThat(v.hostPath()).isEqualTo(data.resolve("pods/uid-1/volumes/kubernetes.io~configmap/c"));
        assertThat(v.readOnly()).isTrue();
        assertThat(Files.readString(v.hostPath().resolve("game.properties"))).isEqualTo("lives=3");
        assertThat(mode(v.hostPath().resolve("ui"))).isEqualTo("644");
    }

    @Test
    void itemsPickKeysWithPathsAndModes() throws IOException {
        objects.configMap("prod", "cfg", Map.of("a", "1", "b", "2"));
        var v = manager().setUp(pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("cfg").withDefaultMode(0600)
                .addNewItem().withKey("a").withPath("dir/a.txt").endItem()
                .addNewItem().withKey("b").withPath("b.txt").withMode(0400).endItem().endConfigMap().build())).get("c");
        assertThat(Files.readString(v.hostPath().resolve("dir/a.txt"))).isEqualTo("1");
        assertThat(mode(v.hostPath().resolve("dir/a.txt"))).isEqualTo("600");
        assertThat(mode(v.hostPath().resolve("b.txt"))).isEqualTo("400");
        assertThat(v.hostPath().resolve("a")).doesNotExist();
    }

    @Test
    void missingConfigMapsSecretsAndKeysFailUnlessOptional() {
        VolumeManager m = manager();
        assertThatThrownBy(() -> m.setUp(pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("nope").endConfigMap().build())))
                .isInstanceOf(VolumeError.class).hasMessage("MountVolume.SetUp failed for volume \"c\" : configmap \"nope\" not found");
        assertThatThrownBy(() -> m.setUp(pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("nope").endSecret().build())))
                .hasMessage("MountVolume.SetUp failed for volume \"s\" : secret \"nope\" not found");
        objects.configMap("prod", "cfg", Map.of("a", "1"));
        objects.secret("prod", "sec", Map.of("a", "1"));
        assertThatThrownBy(() -> m.setUp(pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("cfg")
                .addNewItem().withKey("zz").withPath("zz").endItem().endConfigMap().build())))
                .hasMessage("MountVolume.SetUp failed for volume \"c\" : configmap references non-existent config key: zz");
        assertThatThrownBy(() -> m.setUp(pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("sec")
                .addNewItem().withKey("zz").withPath("zz").endItem().endSecret().build())))
                .hasMessage("MountVolume.SetUp failed for volume \"s\" : references non-existent secret key: zz");

        var optional = m.setUp(pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("nope").withOptional(true).endConfigMap().build()));
        assertThat(optional.get("c").hostPath().resolve("..data")).exists();
    }

    @Test
    void secretVolumeHoldsDecodedData() throws IOException {
        objects.secret("prod", "sec", Map.of("password", "s3cret"));
        var v = manager().setUp(pod(new VolumeBuilder().withName("s").withNewSecret().withSecretName("sec").withDefaultMode(0400).endSecret().build())).get("s");
        assertThat(Files.readString(v.hostPath().resolve("password"))).isEqualTo("s3cret");
        assertThat(mode(v.hostPath().resolve("password"))).isEqualTo("400");
        assertThat(v.hostPath()).isEqualTo(data.resolve("pods/uid-1/volumes/kubernetes.io~secret/s"));
    }

    @Test
    void downwardApiWritesPodFieldsAndResources() throws IOException {
        var v = manager().setUp(pod(new VolumeBuilder().withName("d").withNewDownwardAPI()
                .addNewItem().withPath("labels").withNewFieldRef("v1", "metadata.labels").endItem()
                .addNewItem().withPath("name").withNewFieldRef("v1", "metadata.name").endItem()
                .addNewItem().withPath("mem").withNewResourceFieldRef().withContainerName("app").withDivisor(new Quantity("1Mi")).withResource("limits.memory").endResourceFieldRef().endItem()
                .addNewItem().withPath("cpu").withNewResourceFieldRef().withContainerName("app").withResource("limits.cpu").endResourceFieldRef().endItem()
                .endDownwardAPI().build())).get("d");
        assertThat(Files.readString(v.hostPath().resolve("labels"))).isEqualTo("app=\"web\"");
        assertThat(Files.readString(v.hostPath().resolve("name"))).isEqualTo("web");
        assertThat(Files.readString(v.hostPath().resolve("mem"))).isEqualTo("1024");
        assertThat(Files.readString(v.hostPath().resolve("cpu"))).isEqualTo("2");
    }

    @Test
    void projectedVolumeCombinesSourcesAndAServiceAccountToken() throws IOException {
        objects.configMap("prod", "kube-root-ca.crt", Map.of("ca.crt", "CERT"));
        var v = manager().setUp(pod(new VolumeBuilder().withName("kube-api-access").withNewProjected().withDefaultMode(0644)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem().endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef("v1", "metadata.namespace").endItem().endDownwardAPI().endSource()
                .endProjected().build())).get("kube-api-access");
        assertThat(v.hostPath()).isEqualTo(data.resolve("pods/uid-1/volumes/kubernetes.io~projected/kube-api-access"));
        assertThat(Files.readString(v.hostPath().resolve("token"))).isEqualTo("token-for-builder");
        assertThat(Files.readString(v.hostPath().resolve("ca.crt"))).isEqualTo("CERT");
        assertThat(Files.readString(v.hostPath().resolve("namespace"))).isEqualTo("prod");
        assertThat(tokenRequests).containsExactly("prod/builder [] 3607 web uid-1");
    }

    @Test
    void projectedSourcesReportEveryFailure() {
        assertThatThrownBy(() -> manager().setUp(pod(new VolumeBuilder().withName("p").withNewProjected()
                .addNewSource().withNewConfigMap().withName("a").endConfigMap().endSource()
                .addNewSource().withNewSecret().withName("b").endSecret().endSource().endProjected().build())))
                .hasMessage("MountVolume.SetUp failed for volume \"p\" : [configmap \"a\" not found, secret \"b\" not found]");
    }

    @Test
    void refreshSwapsChangedContentsAndKeepsFilesWhenTheSourceIsGone() throws IOException {
        objects.configMap("prod", "cfg", Map.of("a", "1"));
        Pod pod = pod(new VolumeBuilder().withName("c").withNewConfigMap().withName("cfg").endConfigMap().build(),
                new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build());
        VolumeManager m = manager();
        Path dir = m.setUp(pod).get("c").hostPath();
        List<VolumeError> errors = new ArrayList<>();
        assertThat(m.refresh(pod, errors)).isEmpty();
        objects.configMap("prod", "cfg", Map.of("a", "2"));
        assertThat(m.refresh(pod, errors)).containsExactly("c");
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
        objects.remove("cm", "prod/cfg");
        assertThat(m.refresh(pod, errors)).isEmpty();
        assertThat(errors).singleElement().extracting(Throwable::getMessage).asString().contains("configmap \"cfg\" not found");
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
    }

    @Test
    void claimsResolveToTheirBoundVolumesPath() throws IOException {
        Path pvDir = Files.createDirectories(data.resolve("local-path/pvc-1"));
        objects.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("prod").withName("data").withUid("claim-uid").endMetadata()
                .withNewSpec().withVolumeName("pvc-1").endSpec().withNewStatus().withPhase("Bound").endStatus().build());
        objects.add(new PersistentVolumeBuilder().withNewMetadata().withName("pvc-1").endMetadata().withNewSpec()
                .withNewClaimRef().withNamespace("prod").withName("data").withUid("claim-uid").endClaimRef()
                .withNewHostPath().withPath(pvDir.toString()).withType("DirectoryOrCreate").endHostPath().endSpec().build());
        var v = manager().setUp(pod(new VolumeBuilder().withName("d").withNewPersistentVolumeClaim("data", true).build())).get("d");
        assertThat(v.hostPath()).isEqualTo(pvDir);
        assertThat(v.readOnly()).isTrue();
    }

    @Test
    void unboundOrMissingClaimsFailClearly() {
        VolumeManager m = manager();
        Volume volume = new VolumeBuilder().withName("d").withNewPersistentVolumeClaim("data", false).build();
        assertThatThrownBy(() -> m.setUp(pod(volume))).isInstanceOf(VolumeError.class)
                .hasMessage("error processing PVC prod/data: failed to fetch PVC from API server: persistentvolumeclaims \"data\" not found");
        objects.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("prod").withName("data").endMetadata()
                .withNewStatus().withPhase("Pending").endStatus().build());
        assertThatThrownBy(() -> m.setUp(pod(volume))).hasMessage("error processing PVC prod/data: PVC is not bound");
        objects.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("prod").withName("data").endMetadata()
                .withNewSpec().withVolumeName("pv-x").endSpec().withNewStatus().withPhase("Bound").endStatus().build());
        assertThatThrownBy(() -> m.setUp(pod(volume)))
                .hasMessage("error processing PVC prod/data: failed to fetch PV pv-x from API server: persistentvolumes \"pv-x\" not found");
    }
}
