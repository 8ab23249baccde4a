package io.capstan.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.agent.env.ContainerConfigError;
import io.capstan.runtime.ContainerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {

    @TempDir
    Path dir;

    private Path data;
    private Path config;
    private PodFiles files;
    private Map<String, MountedVolume> volumes;

    @BeforeEach
    void setUp() throws IOException {
        data = Files.createDirectories(dir.resolve("volumes/data"));
        config = Files.createDirectories(dir.resolve("volumes/config"));
        volumes = Map.of("data", new MountedVolume("data", data, false), "config", new MountedVolume("config", config, true));
        var pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("u").endMetadata().withNewSpec().endSpec().build();
        files = PodFiles.write(dir, pod, List.of("10.0.0.5"), new PodHostname("web", ""), new ResolvConf(List.of("10.96.0.10"), "cluster.local", ""), "");
    }

    private List<ContainerSpec.Mount> mounts(ContainerBuilder c, List<String> env) {
        Container container = c.withName("app").build();
        return ContainerMounts.build(container, volumes, env, files, dir.resolve("termlog"));
    }

    @Test
    void volumeMountsComeWithTheKubeletsFilesParentsFirst() throws IOException {
        var mounts = mounts(new ContainerBuilder()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/app/cache").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/etc/app").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/app").withReadOnly(true).endVolumeMount(), List.of());
        assertThat(mounts).containsExactly(
                ContainerSpec.Mount.bind(config, "/etc/app", true),
                ContainerSpec.Mount.bind(files.hosts(), "/etc/hosts", false),
                ContainerSpec.Mount.bind(files.resolvConf(), "/etc/resolv.conf", false),
                ContainerSpec.Mount.bind(files.hostname(), "/etc/hostname", false),
                ContainerSpec.Mount.bind(dir.resolve("termlog"), "/dev/termination-log", false),
                ContainerSpec.Mount.bind(data, "/var/lib/app", true),
                ContainerSpec.Mount.bind(data, "/var/lib/app/cache", false));
        assertThat(Files.readString(files.hosts())).endsWith("10.0.0.5\tweb\n");
        assertThat(Files.readString(files.resolvConf())).contains("nameserver 10.96.0.10\n");
        assertThat(Files.readString(files.hostname())).isEqualTo("web\n");
    }

    @Test
    void aContainerMountingEtcHostsOrItsOwnTerminationPathKeepsIt() {
        var mounts = mounts(new ContainerBuilder().withTerminationMessagePath("/tmp/done")
                .addNewVolumeMount().withName("data").withMountPath("/etc/hosts").endVolumeMount(), List.of());
        assertThat(mounts).extracting(ContainerSpec.Mount::destination)
                .containsExactly("/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/tmp/done");
        assertThat(mounts.get(0).source()).isEqualTo(data.toString());
    }

    @Test
    void subPathAndSubPathExprPointInsideTheVolumeAndAreCreated() {
        var mounts = mounts(new ContainerBuilder()
                .addNewVolumeMount().withName("data").withMountPath("/a").withSubPath("logs/app").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/b").withSubPathExpr("pods/$(POD_NAME)").endVolumeMount(),
                List.of("POD_NAME=web-1"));
        assertThat(mounts.get(0).source()).isEqualTo(data.resolve("logs/app").toString());
        assertThat(mounts.get(1).source()).isEqualTo(data.resolve("pods/web-1").toString());
        assertThat(data.resolve("pods/web-1")).isDirectory();
    }

    @Test
    void badSubPathsAndMissingVolumesFailAsTheKubeletSays() throws IOException {
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("nope").withMountPath("/x").endVolumeMount(), List.of()))
                .isInstanceOf(ContainerConfigError.class).hasMessage("cannot find volume \"nope\" to mount into container \"app\"");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("data").withMountPath("/x").withSubPath("/etc").endVolumeMount(), List.of()))
                .hasMessage("error SubPath `/etc` must not be an absolute path");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("data").withMountPath("/x").withSubPath("a/../..").endVolumeMount(), List.of()))
                .hasMessage("unable to provision SubPath `a/../..`: must not contain '..'");
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("data").withMountPath("/x").withSubPathExpr("$(A)/$(B)").endVolumeMount(), List.of("A=")))
                .hasMessage("missing value for A, B");
        Files.createSymbolicLink(data.resolve("escape"), dir);
        assertThatThrownBy(() -> mounts(new ContainerBuilder().addNewVolumeMount().withName("data").withMountPath("/x").withSubPath("escape").endVolumeMount(), List.of()))
                .hasMessageContaining("not within volume path");
    }

    @Test
    void podWithoutAnIpGetsNoHostsFile() {
        var pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("u").endMetadata().withNewSpec().endSpec().build();
        files = PodFiles.write(dir, pod, List.of(), new PodHostname("web", ""), new ResolvConf(List.of(), "cluster.local", ""), "");
        assertThat(mounts(new ContainerBuilder(), List.of())).extracting(ContainerSpec.Mount::destination).doesNotContain("/etc/hosts");
    }

    @Test
    void terminationLogsAreFreshWorldWritableFilesPerRun() throws IOException {
        Path first = PodFiles.terminationLog(dir, "app");
        Path second = PodFiles.terminationLog(dir, "app");
        assertThat(first).isNotEqualTo(second).hasParent(dir.resolve("containers/app"));
        assertThat(Files.size(first)).isZero();
        assertThat(Integer.toOctalString(AtomicWriter.mode(first))).isEqualTo("666");
    }
}
