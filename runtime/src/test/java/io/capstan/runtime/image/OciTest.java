package io.capstan.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciTest {

    private static Oci.Descriptor entry(char c, String os, String arch, String variant) {
        return new Oci.Descriptor(Oci.OCI_MANIFEST, "sha256:" + String.valueOf(c).repeat(64), 10,
                os == null ? null : new Oci.Platform(os, arch, variant), Map.of());
    }

    @Test
    void indexPicksLinuxAmd64() {
        List<Oci.Descriptor> index = List.of(entry('a', "linux", "arm64", "v8"), entry('b', "windows", "amd64", null),
                entry('c', "linux", "amd64", null), entry('d', "unknown", "unknown", null));
        assertThat(Oci.selectPlatform(index)).map(Oci.Descriptor::digest).contains("sha256:" + "c".repeat(64));
    }

    @Test
    void indexPrefersPlainAmd64OverAVariant() {
        List<Oci.Descriptor> index = List.of(entry('a', "linux", "amd64", "v3"), entry('b', "linux", "amd64", null));
        assertThat(Oci.selectPlatform(index)).map(Oci.Descriptor::digest).contains("sha256:" + "b".repeat(64));
        assertThat(Oci.selectPlatform(List.of(entry('a', "linux", "amd64", "v3")))).isPresent();
    }

    @Test
    void indexWithoutLinuxAmd64HasNoChoice() {
        assertThat(Oci.selectPlatform(List.of(entry('a', "linux", "arm64", null), entry('b', null, null, null)))).isEmpty();
    }

    @Test
    void configGivesRunSettingsAndDiffIds() {
        String json = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"],"WorkingDir":"/w","User":"65534",
                 "Labels":{"a":"b"},"StopSignal":"SIGQUIT"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}
                """.formatted("e".repeat(64));
        Oci.Config c = Oci.config(json.getBytes(StandardCharsets.UTF_8), "config");
        assertThat(c.config().cmd()).containsExactly("sh");
        assertThat(c.config().entrypoint()).isEmpty();
        assertThat(c.config().user()).isEqualTo("65534");
        assertThat(c.config().labels()).containsEntry("a", "b");
        assertThat(c.config().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(c.diffIds()).containsExactly("sha256:" + "e".repeat(64));
    }

    @Test
    void bearerChallengeIsParsed() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("service")).isEqualTo("registry.docker.io");
        assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull");
        assertThat(Challenge.parse("Basic realm=\"x\"").scheme()).isEqualTo("basic");
    }
}
