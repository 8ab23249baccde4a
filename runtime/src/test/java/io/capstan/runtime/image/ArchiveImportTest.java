package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.runtime.testing.TestImages;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports of OCI layouts (directory, tar) and docker save archives. */
class ArchiveImportTest {

    @TempDir
    Path root;
    @TempDir
    Path work;

    private LocalImageStore store() {
        return new LocalImageStore(LocalImageStore.Options.of(root));
    }

    @Test
    void ociLayoutDirectoryIsImportedUnderItsRefName() {
        Path layout = TestImages.busybox(work.resolve("layout"));
        List<Image> images = store().importArchive(layout);
        assertThat(images).singleElement().satisfies(i -> {
            assertThat(i.references()).containsExactly(TestImages.BUSYBOX_REFERENCE);
            assertThat(i.config().cmd()).containsExactly("sh");
        });
        assertThat(store().find("busybox:1")).contains(images.getFirst());
    }

    @Test
    void ociLayoutTarIsImported() throws Exception {
        Path layout = TestImages.busybox(work.resolve("layout"));
        Path tar = work.resolve("layout.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out);
             Stream<Path> files = Files.walk(layout)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                TarArchiveEntry e = new TarArchiveEntry(f.toFile(), layout.relativize(f).toString());
                t.putArchiveEntry(e);
                Files.copy(f, t);
                t.closeArchiveEntry();
            }
        }
        assertThat(store().importArchive(tar)).singleElement()
                .satisfies(i -> assertThat(i.references()).containsExactly(TestImages.BUSYBOX_REFERENCE));
    }

    @Test
    void dockerSaveArchiveIsImportedUnderItsRepoTags() {
        Path archive = TestImages.busyboxDockerArchive(work.resolve("busybox.tar"));
        List<Image> images = store().importArchive(archive);
        assertThat(images).singleElement().satisfies(i -> {
            assertThat(i.references()).containsExactly(TestImages.BUSYBOX_REFERENCE);
            assertThat(i.config().cmd()).containsExactly("sh");
            assertThat(i.size()).isGreaterThan(1_000_000);
        });
        try (Stream<Path> layers = Files.list(root.resolve("layers"))) {
            assertThat(layers).singleElement().satisfies(l -> assertThat(l.resolve("bin/busybox")).isRegularFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void importOfTheSameImageTwiceKeepsOneImage() {
        Path layout = TestImages.busybox(work.resolve("layout"));
        LocalImageStore store = store();
        Image first = store.importArchive(layout).getFirst();
        Image second = store.importArchive(TestImages.busyboxDockerArchive(work.resolve("b.tar"))).getFirst();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void indexInALayoutYieldsItsLinuxAmd64Image() throws Exception {
        Path layout = TestImages.busybox(work.resolve("layout"));
        ObjectNode index = (ObjectNode) Oci.JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode amd64 = ((ObjectNode) index.path("manifests").get(0)).deepCopy();
        amd64.remove("annotations");
        amd64.putObject("platform").put("os", "linux").put("architecture", "amd64");
        ObjectNode arm64 = Oci.JSON.createObjectNode().put("mediaType", Oci.OCI_MANIFEST)
                .put("digest", "sha256:" + "0".repeat(64)).put("size", 10);
        arm64.putObject("platform").put("os", "linux").put("architecture", "arm64");
        ObjectNode nested = Oci.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Oci.OCI_INDEX);
        nested.putArray("manifests").add(arm64).add(amd64);
        byte[] nestedBytes = Oci.JSON.writeValueAsBytes(nested);
        String nestedDigest = Digests.sha256(nestedBytes);
        Files.write(layout.resolve("blobs/sha256").resolve(Digests.hex(nestedDigest)), nestedBytes);
        ObjectNode top = Oci.JSON.createObjectNode().put("schemaVersion", 2);
        ArrayNode manifests = top.putArray("manifests");
        manifests.addObject().put("mediaType", Oci.OCI_INDEX).put("digest", nestedDigest).put("size", nestedBytes.length)
                .putObject("annotations").put(Oci.REF_NAME, "example.com/multi:2");
        Files.write(layout.resolve("index.json"), Oci.JSON.writeValueAsBytes(top));

        Image image = store().importArchive(layout).getFirst();
        assertThat(image.references()).containsExactly("example.com/multi:2");
        assertThat(image.repoDigests()).containsExactly("example.com/multi@" + nestedDigest);
        assertThat(image.config().cmd()).containsExactly("sh");
    }

    @Test
    void corruptBlobIsRejected() throws Exception {
        Path layout = TestImages.busybox(work.resolve("layout"));
        try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
            Path biggest = blobs.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
            Files.writeString(biggest, "tampered", StandardCharsets.UTF_8);
        }
        assertThatThrownBy(() -> store().importArchive(layout)).isInstanceOf(ImageException.class).hasMessageContaining("corrupt");
        assertThat(store().list()).isEmpty();
    }

    @Test
    void somethingElseIsNoArchive() throws Exception {
        Files.writeString(work.resolve("x"), "x");
        assertThatThrownBy(() -> store().importArchive(work)).isInstanceOf(ImageException.class)
                .hasMessageContaining("neither an OCI image layout");
    }
}
