package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.runtime.image.ImageException.Kind;
import io.capstan.runtime.testing.TestImages;
import io.capstan.runtime.testing.TestRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real docker-registry on loopback, anonymous and with basic auth. */
class RegistryPullTest {

    @TempDir
    static Path shared;
    @TempDir
    Path root;

    static TestRegistry open;
    static TestRegistry locked;
    static String busybox;
    static String busyboxZstd;
    static String lockedBusybox;

    @BeforeAll
    static void registries() {
        Path layout = TestImages.busybox(shared.resolve("layout"));
        open = TestRegistry.start();
        busybox = open.push(layout, "busybox:1");
        busyboxZstd = open.pushZstd(layout, "zstd/busybox:1");
        locked = TestRegistry.start("alice", "s3cret");
        lockedBusybox = locked.push(layout, "team/busybox:1");
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        if (locked != null) {
            locked.close();
        }
    }

    private LocalImageStore store() {
        return new LocalImageStore(LocalImageStore.Options.of(root));
    }

    @Test
    void anonymousPullStoresTheImageUnderItsNames() {
        LocalImageStore store = store();
        List<String> layers = new ArrayList<>();
        Image image = store.pull(busybox, null, new PullListener() {
            @Override
            public void layer(String digest, long bytes) {
                layers.add(digest);
            }
        });
        assertThat(image.references()).containsExactly(busybox);
        assertThat(image.repoDigests()).singleElement().asString().startsWith(open.host() + "/busybox@sha256:");
        assertThat(image.id()).startsWith("sha256:");
        assertThat(image.config().cmd()).containsExactly("sh");
        assertThat(image.config().entrypoint()).isEmpty();
        assertThat(image.size()).isGreaterThan(500_000);
        assertThat(layers).hasSize(1);
        assertThat(store.find(busybox)).contains(image);
        assertThat(store.find(image.id())).contains(image);
        assertThat(store.find(image.repoDigests().getFirst())).contains(image);
        assertThat(store.find(Digests.hex(image.id()).substring(0, 12))).contains(image);
        assertThat(store.list()).containsExactly(image);
        assertThat(root.resolve("images").resolve(Digests.hex(image.id()) + ".json")).isRegularFile();
    }

    @Test
    void secondPullDownloadsNoLayerAgainAndPullByDigestFindsTheSameImage() {
        LocalImageStore store = store();
        Image first = store.pull(busybox, null, PullListener.NONE);
        List<String> layers = new ArrayList<>();
        Image again = store.pull(open.host() + "/busybox@" + first.repoDigests().getFirst().split("@")[1], null, new PullListener() {
            @Override
            public void layer(String digest, long bytes) {
                layers.add(digest);
            }
        });
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(layers).isEmpty();
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void zstdLayersArePulledAndUnpacked() throws Exception {
        LocalImageStore store = store();
        Image image = store.pull(busyboxZstd, null, PullListener.NONE);
        assertThat(image.references()).containsExactly(busyboxZstd);
        try (var blobs = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(blobs.filter(b -> magic(b) == 0xfd2fb528)).as("a zstd blob").hasSize(1);
        }
        try (var dirs = Files.list(root.resolve("layers"))) {
            Path unpacked = dirs.findFirst().orElseThrow();
            assertThat(unpacked.resolve("bin/busybox")).isRegularFile();
            assertThat(Files.readSymbolicLink(unpacked.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        }
    }

    private static int magic(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(4);
            return b.length < 4 ? 0 : (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void basicAuthPullWithCredentials() {
        Image image = store().pull(lockedBusybox, new RegistryCredentials("alice", "s3cret"), PullListener.NONE);
        assertThat(image.references()).containsExactly(lockedBusybox);
    }

    @Test
    void wrongPasswordIsUnauthorizedWithAClearMessage() {
        assertThatThrownBy(() -> store().pull(lockedBusybox, new RegistryCredentials("alice", "wrong"), PullListener.NONE))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageContaining("alice").hasMessageContaining("wrong user name or password").hasMessageContaining(locked.host());
    }

    @Test
    void missingCredentialsAreUnauthorized() {
        assertThatThrownBy(() -> store().pull(lockedBusybox, null, PullListener.NONE))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageContaining("pull access denied").hasMessageContaining(lockedBusybox);
    }

    @Test
    void unknownTagOrRepositoryIsNotFound() {
        String tag = open.host() + "/busybox:nope";
        assertThatThrownBy(() -> store().pull(tag, null, PullListener.NONE))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining(tag).hasMessageContaining("not found");
        String repo = open.host() + "/nothing/here:1";
        assertThatThrownBy(() -> store().pull(repo, null, PullListener.NONE))
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining(repo).hasMessageContaining("not found");
    }

    @Test
    void registryThatIsDownIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String host = "127.0.0.1:" + port;
        assertThatThrownBy(() -> store().pull(host + "/busybox:1", null, PullListener.NONE))
                .isInstanceOf(ImageException.class)
                .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.UNREACHABLE))
                .hasMessageContaining(host);
    }

    @Test
    void nonLoopbackRegistryIsNotTriedOverPlainHttp() {
        RegistryClient client = new RegistryClient(List.of("registry.lan:5000"), List.of());
        assertThat(client.isInsecure("127.0.0.1:5000")).isTrue();
        assertThat(client.isInsecure("localhost:5000")).isTrue();
        assertThat(client.isInsecure("[::1]:5000")).isTrue();
        assertThat(client.isInsecure("registry.lan:5000")).isTrue();
        assertThat(client.isInsecure("registry.lan:6000")).isFalse();
        assertThat(client.isInsecure("quay.io")).isFalse();
    }

    @Test
    void removingTheLastNameDeletesBlobsAndLayers() throws Exception {
        LocalImageStore store = store();
        Image image = store.pull(busybox, null, PullListener.NONE);
        store.remove(busybox);
        assertThat(store.find(busybox)).isEmpty();
        assertThat(store.find(image.id())).isEmpty();
        try (var blobs = Files.list(root.resolve("blobs/sha256")); var layers = Files.list(root.resolve("layers"))) {
            assertThat(blobs).isEmpty();
            assertThat(layers).isEmpty();
        }
        assertThatThrownBy(() -> store.remove(busybox)).satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(Kind.NOT_FOUND));
    }
}
