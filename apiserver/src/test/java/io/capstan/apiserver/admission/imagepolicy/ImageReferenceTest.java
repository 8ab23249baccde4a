package io.capstan.apiserver.admission.imagepolicy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Image references normalized as docker's ParseNormalizedNamed does. */
class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @ParameterizedTest
    @CsvSource({
            "nginx, docker.io/library/nginx:latest",
            "nginx:1.27, docker.io/library/nginx:1.27",
            "library/nginx, docker.io/library/nginx:latest",
            "bitnami/redis:7, docker.io/bitnami/redis:7",
            "docker.io/nginx, docker.io/library/nginx:latest",
            "index.docker.io/library/nginx:1, docker.io/library/nginx:1",
            "quay.io/prometheus/node-exporter:v1.8.0, quay.io/prometheus/node-exporter:v1.8.0",
            "localhost/app, localhost/app:latest",
            "localhost:5000/team/app:dev, localhost:5000/team/app:dev",
            "registry.example.com:8443/a/b/c, registry.example.com:8443/a/b/c:latest",
            "Registry/app, Registry/app:latest",
    })
    void normalizesAsDockerDoes(String image, String normalized) {
        assertThat(ImageReference.parse(image)).hasValueSatisfying(r -> assertThat(r.toString()).isEqualTo(normalized));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx@", "nginx:", "team/UPPER", "nginx@sha256:abc", "", "a//b", "quay.io/"})
    void refusesWhatIsNotAReference(String image) {
        assertThat(ImageReference.parse(image)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx@", "busybox:1.36@"})
    void keepsTheDigest(String prefix) {
        ImageReference r = ImageReference.parse(prefix + DIGEST).orElseThrow();
        assertThat(r.digest()).isEqualTo(DIGEST);
        assertThat(r.name()).startsWith("docker.io/library/");
    }
}
