package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @TempDir
    Path root;

    @Test
    void blobIsStoredUnderItsDigest() throws Exception {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(data);
        BlobStore store = new BlobStore(root);
        assertThat(store.put(digest, new ByteArrayInputStream(data))).isEqualTo(5);
        assertThat(store.path(digest)).isEqualTo(root.resolve("blobs/sha256/" + Digests.hex(digest)));
        assertThat(store.read(digest)).isEqualTo(data);
        assertThat(store.digests()).containsExactly(digest);
    }

    @Test
    void digestMismatchIsRejectedAndLeavesNothing() throws Exception {
        BlobStore store = new BlobStore(root);
        String claimed = Digests.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put(claimed, new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(BlobStore.DigestMismatchException.class).hasMessageContaining("digest mismatch");
        assertThat(store.has(claimed)).isFalse();
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void malformedDigestIsRefused() {
        assertThatThrownBy(() -> new BlobStore(root).path("sha256:../../etc/passwd")).isInstanceOf(ImageException.class);
    }
}
