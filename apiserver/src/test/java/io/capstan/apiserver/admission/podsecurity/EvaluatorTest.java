package io.capstan.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import org.junit.jupiter.api.Test;

/** Which checks a level holds at a version, in the order Kubernetes reports them. */
class EvaluatorTest {

    private final Evaluator evaluator = Evaluator.defaultChecks();

    private static JsonNode pod(String yaml) throws Exception {
        return Json.YAML.readTree(yaml);
    }

    private Evaluation evaluate(String levelVersion, JsonNode pod) {
        String[] parts = levelVersion.split(":");
        LevelVersion lv = new LevelVersion(Level.parse(parts[0]).orElseThrow(), Version.parse(parts[1]).orElseThrow());
        return evaluator.evaluate(lv, pod.path("metadata"), pod.path("spec"));
    }

    @Test
    void restrictedReportsBaselineChecksFirstThenRestrictedOnesEachInIdOrder() throws Exception {
        JsonNode pod = pod("spec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}");
        assertThat(evaluate("restricted:latest", pod).details()).isEqualTo(
                "privileged (container \"c\" must not set securityContext.privileged=true), "
                        + "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
                        + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                        + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
                        + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
        assertThat(evaluate("restricted:latest", pod).reasons())
                .isEqualTo("privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile");
        assertThat(evaluate("baseline:latest", pod).details()).isEqualTo("privileged (container \"c\" must not set securityContext.privileged=true)");
        assertThat(evaluate("privileged:latest", pod).allowed()).isTrue();
    }

    @Test
    void aRestrictedCompliantPodPassesEveryLevel() throws Exception {
        JsonNode pod = pod("""
                spec:
                  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: c
                    image: nginx
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
                  volumes: [{name: v, configMap: {name: x}}, {name: t, projected: {sources: []}}]
                """);
        for (String lv : new String[] {"restricted:latest", "restricted:v1.0", "restricted:v1.25", "baseline:latest"}) {
            assertThat(evaluate(lv, pod).allowed()).as(lv).isTrue();
        }
    }

    @Test
    void restrictedOverridesTheBaselineCheckItReplacesOnlyFromItsVersion() throws Exception {
        JsonNode pod = pod("spec: {containers: [{name: c, securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, "
                + "seccompProfile: {type: RuntimeDefault}, capabilities: {add: [FOO]}}}]}");
        assertThat(evaluate("restricted:v1.21", pod).reasons()).isEqualTo("non-default capabilities");
        assertThat(evaluate("restricted:v1.22", pod).reasons()).isEqualTo("unrestricted capabilities");
    }

    @Test
    void checksApplyFromTheVersionThatIntroducedThem() throws Exception {
        JsonNode rootPod = pod("spec: {securityContext: {runAsUser: 0, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, "
                + "containers: [{name: c, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}");
        assertThat(evaluate("restricted:v1.22", rootPod).allowed()).isTrue();
        assertThat(evaluate("restricted:v1.23", rootPod).reasons()).isEqualTo("runAsUser=0");

        JsonNode sysctl = pod("spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: '4096 87380 6291456'}]}, containers: [{name: c}]}");
        assertThat(evaluate("baseline:v1.31", sysctl).details()).isEqualTo("forbidden sysctls (net.ipv4.tcp_rmem)");
        assertThat(evaluate("baseline:v1.32", sysctl).allowed()).isTrue();
        assertThat(evaluate("baseline:latest", sysctl).allowed()).isTrue();
    }

    @Test
    void seccompIsJudgedByAnnotationsBefore119AndByFieldsFrom119() throws Exception {
        JsonNode pod = pod("""
                metadata: {annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}
                spec: {securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: c}]}
                """);
        assertThat(evaluate("baseline:v1.18", pod).details())
                .isEqualTo("seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
        assertThat(evaluate("baseline:v1.19", pod).details())
                .isEqualTo("seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")");
    }

    @Test
    void windowsPodsAreExemptFromLinuxOnlyRestrictedChecksFrom125() throws Exception {
        JsonNode pod = pod("spec: {os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: c}]}");
        assertThat(evaluate("restricted:v1.24", pod).reasons())
                .isEqualTo("allowPrivilegeEscalation != false, unrestricted capabilities, seccompProfile");
        assertThat(evaluate("restricted:v1.25", pod).allowed()).isTrue();
    }

    @Test
    void versionsNewerThanAnyCheckMeanTheNewest() throws Exception {
        JsonNode pod = pod("spec: {hostNetwork: true, containers: [{name: c}]}");
        assertThat(evaluate("baseline:v1.99", pod).details()).isEqualTo(evaluate("baseline:latest", pod).details())
                .isEqualTo("host namespaces (hostNetwork=true)");
    }
}
