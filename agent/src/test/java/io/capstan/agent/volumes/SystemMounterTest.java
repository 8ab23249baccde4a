package io.capstan.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.agent.FakePodObjects;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real tmpfs mounts; runs only as root. */
class SystemMounterTest {

    @TempDir
    Path data;

    private final Mounter mounter = Mounter.system();

    @AfterEach
    void unmountLeftovers() {
        if (isRoot()) {
            mounter.mountPointsUnder(data).forEach(mounter::unmount);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void memoryEmptyDirIsATmpfsOfItsSizeLimitUntilTeardown() throws IOException {
        assumeTrue(isRoot(), "needs root to mount");
        var manager = new VolumeManager(data.resolve("pods"), new FakePodObjects(), (a, b, c, d, e, f) -> "", mounter,
                () -> Map.of("memory", new Quantity("1Gi")));
        var pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("tmpfs-" + ProcessHandle.current().pid())
                .endMetadata().withNewSpec().withContainers(new ContainerBuilder().withName("c").build())
                .withVolumes(new VolumeBuilder().withName("mem").withNewEmptyDir().withMedium("Memory")
                        .withSizeLimit(new Quantity("2Mi")).endEmptyDir().build()).endSpec().build();
        Path dir = manager.setUp(pod).get("mem").hostPath();

        assertThat(mounter.mountPointsUnder(data)).containsExactly(dir.toRealPath());
        FileStore store = Files.getFileStore(dir);
        assertThat(store.type()).isEqualTo("tmpfs");
        assertThat(store.getTotalSpace()).isEqualTo(2L << 20);
        manager.setUp(pod);
        assertThat(mounter.mountPointsUnder(data)).hasSize(1);

        manager.teardown(pod.getMetadata().getUid());
        assertThat(mounter.mountPointsUnder(data)).isEmpty();
        assertThat(dir).doesNotExist();
    }
}
