package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectionTest {

    @TempDir
    Path root;

    @Test
    void orphanBlobsAnHourOldAreSweptFreshOnesKept() throws Exception {
        BlobStore blobs = new BlobStore(root);
        byte[] old = "left by a failed pull".getBytes(StandardCharsets.UTF_8);
        byte[] fresh = "being imported right now".getBytes(StandardCharsets.UTF_8);
        blobs.put(Digests.sha256(old), old);
        blobs.put(Digests.sha256(fresh), fresh);
        Files.setLastModifiedTime(blobs.path(Digests.sha256(old)), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        long freed = new LocalImageStore(LocalImageStore.Options.of(root)).collectGarbage(100);
        assertThat(freed).isEqualTo(old.length);
        assertThat(blobs.digests()).containsExactly(Digests.sha256(fresh));
    }

    private static ImageRecord image(char c, long lastUsed) {
        return new ImageRecord("sha256:" + String.valueOf(c).repeat(64), List.of(), List.of(),
                new ImageConfig(null, null, null, "", "", null, ""), 1, List.of(), List.of(), List.of(), lastUsed);
    }

    @Test
    void unusedImagesGoLeastRecentlyUsedFirst() {
        ImageRecord recent = image('a', 300);
        ImageRecord old = image('b', 100);
        ImageRecord inUse = image('c', 50);
        ImageRecord middle = image('d', 200);
        assertThat(LocalImageStore.collectable(List.of(recent, old, inUse, middle), Set.of(inUse.id())))
                .containsExactly(old, middle, recent);
    }
}
