package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void bareNameIsDockerHubLibraryLatest() {
        assertThat(ImageReference.parse("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
    }

    @Test
    void userRepositoryOnDockerHubKeepsItsUser() {
        assertThat(ImageReference.parse("bitnami/nginx:1.25").toString()).isEqualTo("docker.io/bitnami/nginx:1.25");
    }

    @Test
    void indexDockerIoIsDockerIo() {
        assertThat(ImageReference.parse("index.docker.io/busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
    }

    @Test
    void hostWithPortIsARegistry() {
        ImageReference r = ImageReference.parse("127.0.0.1:5000/team/app:v2");
        assertThat(r.domain()).isEqualTo("127.0.0.1:5000");
        assertThat(r.path()).isEqualTo("team/app");
        assertThat(r.tag()).isEqualTo("v2");
        assertThat(r.registryHost()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void localhostAndDottedHostsAreRegistries() {
        assertThat(ImageReference.parse("localhost/app").toString()).isEqualTo("localhost/app:latest");
        assertThat(ImageReference.parse("quay.io/coreos/etcd").toString()).isEqualTo("quay.io/coreos/etcd:latest");
    }

    @Test
    void digestOnlyHasNoTag() {
        ImageReference r = ImageReference.parse("busybox@" + DIGEST);
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isEqualTo(DIGEST);
        assertThat(r.manifestReference()).isEqualTo(DIGEST);
        assertThat(r.toString()).isEqualTo("docker.io/library/busybox@" + DIGEST);
    }

    @Test
    void tagAndDigestKeepBothAndPullByDigest() {
        ImageReference r = ImageReference.parse("registry.example.com:443/x/y:1.0@" + DIGEST);
        assertThat(r.tag()).isEqualTo("1.0");
        assertThat(r.manifestReference()).isEqualTo(DIGEST);
        assertThat(r.toString()).isEqualTo("registry.example.com:443/x/y:1.0@" + DIGEST);
    }

    @Test
    void dockerHubApiHostIsRegistry1() {
        assertThat(ImageReference.parse("busybox").registryHost()).isEqualTo("registry-1.docker.io");
    }

    @Test
    void uppercaseRepositoryIsRejected() {
        assertThatThrownBy(() -> ImageReference.parse("Busybox"))
                .isInstanceOf(ImageException.class).hasMessageContaining("must be lowercase")
                .extracting(e -> ((ImageException) e).kind()).isEqualTo(ImageException.Kind.INVALID);
    }

    @Test
    void malformedReferencesAreRejected() {
        assertThatThrownBy(() -> ImageReference.parse("busybox@sha256:abc")).hasMessageContaining("invalid digest");
        assertThatThrownBy(() -> ImageReference.parse("busybox:-bad")).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageReference.parse("a//b")).hasMessageContaining("invalid repository name");
    }

    @Test
    void imageIdIsRecognised() {
        assertThat(ImageReference.isImageId("a".repeat(64))).isTrue();
        assertThat(ImageReference.isImageId("busybox")).isFalse();
    }
}
