package io.capstan.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: a PodSecurityConfiguration alone or inside kube-apiserver's AdmissionConfiguration. */
class PodSecurityConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsThePluginConfigurationOutOfAnAdmissionConfiguration() throws Exception {
        Path file = dir.resolve("admission.yaml");
        Files.writeString(file, """
                apiVersion: apiserver.config.k8s.io/v1
                kind: AdmissionConfiguration
                plugins:
                - name: PodSecurity
                  configuration:
                    apiVersion: pod-security.admission.config.k8s.io/v1
                    kind: PodSecurityConfiguration
                    defaults: {enforce: baseline, enforce-version: v1.30, warn: restricted}
                    exemptions: {usernames: [ops], namespaces: [kube-system], runtimeClasses: [kata]}
                """);
        PodSecurityConfig config = PodSecurityConfig.read(file);
        assertThat(config.defaults().enforce().toString()).isEqualTo("baseline:v1.30");
        assertThat(config.defaults().audit().toString()).isEqualTo("privileged:latest");
        assertThat(config.defaults().warn().toString()).isEqualTo("restricted:latest");
        assertThat(config.exemptUsernames()).containsExactly("ops");
        assertThat(config.exemptNamespaces()).containsExactly("kube-system");
        assertThat(config.exemptRuntimeClasses()).containsExactly("kata");
    }

    @Test
    void invalidDefaultsStopTheServer() throws Exception {
        Path file = dir.resolve("psa.yaml");
        Files.writeString(file, "kind: PodSecurityConfiguration\ndefaults: {enforce: strict, audit-version: '1.2'}\n");
        assertThatThrownBy(() -> PodSecurityConfig.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defaults.enforce: Invalid value: \"strict\"")
                .hasMessageContaining("defaults.audit-version: Invalid value: \"1.2\"");
    }
}
