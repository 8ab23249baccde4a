package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers' root filesystems as overlay mounts over the image's layers. */
class RootfsTest {

    @TempDir
    Path root;
    @TempDir
    Path work;

    LocalImageStore store;
    Image image;
    final List<String> containers = new ArrayList<>();

    @BeforeEach
    void importBusybox() {
        store = new LocalImageStore(LocalImageStore.Options.of(root));
        image = store.importArchive(TestImages.busybox(work.resolve("layout"))).getFirst();
    }

    @AfterEach
    void releaseAll() {
        for (String id : containers) {
            store.releaseRootfs(id);
        }
    }

    private String container() {
        String id = "t-" + UUID.randomUUID();
        containers.add(id);
        return id;
    }

    private long mountsOf(Path merged) throws Exception {
        String target = merged.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> OverlayRootfs.unescape(l.split(" ")[4]).equals(target)).count();
    }

    @Test
    void rootShowsTheImagesFiles() throws Exception {
        Path merged = store.prepareRootfs(image, container());
        assertThat(merged.resolve("bin/busybox")).isRegularFile();
        assertThat(Files.readSymbolicLink(merged.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(Files.readString(merged.resolve("etc/passwd"))).contains("nobody:x:65534:65534");
        assertThat((int) Files.getAttribute(merged.resolve("tmp"), "unix:mode") & 07777).isEqualTo(01777);
    }

    @Test
    void writesStayInTheirContainer() throws Exception {
        Path a = store.prepareRootfs(image, container());
        Path b = store.prepareRootfs(image, container());
        Files.writeString(a.resolve("etc/passwd"), "changed");
        Files.writeString(a.resolve("tmp/new"), "x");
        Files.delete(a.resolve("bin/ls"));
        assertThat(Files.readString(b.resolve("etc/passwd"))).contains("root:x:0:0");
        assertThat(b.resolve("tmp/new")).doesNotExist();
        assertThat(b.resolve("bin/ls")).exists();
        try (var layers = Files.list(root.resolve("layers"))) {
            Path layer = layers.findFirst().orElseThrow();
            assertThat(Files.readString(layer.resolve("etc/passwd"))).contains("root:x:0:0");
            assertThat(layer.resolve("tmp/new")).doesNotExist();
            assertThat(Files.isSymbolicLink(layer.resolve("bin/ls"))).isTrue();
        }
    }

    @Test
    void preparingAgainReturnsTheSameRootAlsoAfterARestart() throws Exception {
        String id = container();
        Path merged = store.prepareRootfs(image, id);
        Files.writeString(merged.resolve("tmp/kept"), "1");
        assertThat(store.prepareRootfs(image, id)).isEqualTo(merged);
        LocalImageStore restarted = new LocalImageStore(LocalImageStore.Options.of(root));
        assertThat(restarted.prepareRootfs(image, id)).isEqualTo(merged);
        assertThat(mountsOf(merged)).isEqualTo(1);
        assertThat(merged.resolve("tmp/kept")).hasContent("1");
    }

    @Test
    void releaseUnmountsAndDeletes() throws Exception {
        String id = container();
        Path merged = store.prepareRootfs(image, id);
        store.releaseRootfs(id);
        assertThat(mountsOf(root.resolve("containers"))).isZero();
        assertThat(merged).doesNotExist();
        assertThat(root.resolve("containers").resolve(id)).doesNotExist();
        store.releaseRootfs(id);
        store.releaseRootfs("never-prepared");
    }

    @Test
    void garbageCollectionSparesImagesInUse() throws Exception {
        Image other = store.importArchive(TestImages.busyboxDockerArchive(work.resolve("b.tar"))).getFirst();
        assertThat(other.id()).isEqualTo(image.id());
        String id = container();
        store.prepareRootfs(image, id);
        assertThat(store.collectGarbage(0)).isZero();
        assertThat(store.find(image.id())).isPresent();
        store.releaseRootfs(id);
        assertThat(store.collectGarbage(100)).as("the disk is below 100%").isZero();
        assertThat(store.collectGarbage(0)).isGreaterThan(1_000_000);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void removingAnImageInUseKeepsItsLayersUntilReleased() throws Exception {
        String id = container();
        Path merged = store.prepareRootfs(image, id);
        store.remove(TestImages.BUSYBOX_REFERENCE);
        assertThat(store.find(TestImages.BUSYBOX_REFERENCE)).isEmpty();
        assertThat(merged.resolve("bin/busybox")).isRegularFile();
        assertThat(store.find(image.id())).map(Image::references).contains(List.of());
        store.releaseRootfs(id);
        store.collectGarbage(0);
        assertThat(store.list()).isEmpty();
    }
}
