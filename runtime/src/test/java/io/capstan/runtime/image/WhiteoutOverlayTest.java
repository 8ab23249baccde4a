package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-layer image whose top layer deletes a file and makes a directory opaque, seen through the overlay. */
class WhiteoutOverlayTest {

    @TempDir
    Path root;
    @TempDir
    Path layout;

    LocalImageStore store;
    final String container = "wh-" + UUID.randomUUID();

    @AfterEach
    void release() {
        if (store != null) {
            store.releaseRootfs(container);
        }
    }

    private static byte[] tar(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] data = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
                e.setSize(data.length);
                out.putArchiveEntry(e);
                out.write(data);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private String blob(byte[] data) throws IOException {
        String digest = Digests.sha256(data);
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.write(layout.resolve("blobs/sha256").resolve(Digests.hex(digest)), data);
        return digest;
    }

    @Test
    void upperLayerWhiteoutsHideLowerFiles() throws Exception {
        byte[] lower = tar("etc/gone", "1", "etc/kept", "2", "cache/old", "3");
        byte[] upper = tar("etc/.wh.gone", "", "cache/.wh..wh..opq", "", "cache/new", "4");
        String lowerDigest = blob(lower);
        String upperDigest = blob(upper);
        ObjectNode config = Oci.JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config").putArray("Cmd").add("sh");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(lowerDigest).add(upperDigest);
        byte[] configBytes = Oci.JSON.writeValueAsBytes(config);
        ObjectNode manifest = Oci.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Oci.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json").put("digest", blob(configBytes))
                .put("size", configBytes.length);
        for (var l : List.of(lower, upper)) {
            manifest.withArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                    .put("digest", Digests.sha256(l)).put("size", l.length);
        }
        byte[] manifestBytes = Oci.JSON.writeValueAsBytes(manifest);
        ObjectNode index = Oci.JSON.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", Oci.OCI_MANIFEST).put("digest", blob(manifestBytes))
                .put("size", manifestBytes.length).putObject("annotations").put(Oci.REF_NAME, "example.com/whiteouts:1");
        Files.write(layout.resolve("index.json"), Oci.JSON.writeValueAsBytes(index));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

        store = new LocalImageStore(LocalImageStore.Options.of(root));
        Image image = store.importArchive(layout).getFirst();
        Path merged = store.prepareRootfs(image, container);

        assertThat(merged.resolve("etc/gone")).doesNotExist();
        assertThat(merged.resolve("etc/kept")).hasContent("2");
        assertThat(merged.resolve("cache/old")).doesNotExist();
        assertThat(merged.resolve("cache/new")).hasContent("4");
        try (var listing = Files.list(merged.resolve("cache"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("new");
        }
    }
}
