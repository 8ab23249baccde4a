package io.capstan.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Pod Security check on pods that break it, with the reasons and details kube-apiserver 1.32 gives (upstream's fixtures). */
class ChecksTest {

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("hostProcess", (Check.PodCheck) HostChecks::windowsHostProcess, """
                        spec:
                          securityContext: {windowsOptions: {hostProcess: true}}
                          containers:
                          - {name: d, securityContext: {windowsOptions: {hostProcess: false}}}
                          - {name: e, securityContext: {windowsOptions: {hostProcess: true}}}
                          - {name: f, securityContext: {windowsOptions: {hostProcess: true}}}
                        """, "hostProcess", "pod and containers \"e\", \"f\" must not set securityContext.windowsOptions.hostProcess=true"),
                Arguments.of("hostNamespaces", (Check.PodCheck) HostChecks::hostNamespaces, """
                        spec: {hostIPC: true, hostNetwork: true, hostPID: true, containers: [{name: a}]}
                        """, "host namespaces", "hostNetwork=true, hostPID=true, hostIPC=true"),
                Arguments.of("hostPathVolumes", (Check.PodCheck) HostChecks::hostPathVolumes, """
                        spec:
                          volumes: [{name: a, hostPath: {path: /}}, {name: b, hostPath: {path: /x}}, {name: c, emptyDir: {}}]
                        """, "hostPath volumes", "volumes \"a\", \"b\""),
                Arguments.of("hostPorts", (Check.PodCheck) HostChecks::hostPorts, """
                        spec:
                          containers:
                          - {name: a, ports: [{containerPort: 80}]}
                          - {name: b, ports: [{containerPort: 80, hostPort: 10}, {containerPort: 81, hostPort: 20}]}
                          initContainers:
                          - {name: c, ports: [{containerPort: 80, hostPort: 30}]}
                        """, "hostPort", "containers \"c\", \"b\" use hostPorts 10, 20, 30"),
                Arguments.of("privileged", (Check.PodCheck) ContainerChecks::privileged, """
                        spec:
                          containers:
                          - {name: a}
                          - {name: b, securityContext: {}}
                          - {name: c, securityContext: {privileged: false}}
                          - {name: d, securityContext: {privileged: true}}
                          - {name: e, securityContext: {privileged: true}}
                        """, "privileged", "containers \"d\", \"e\" must not set securityContext.privileged=true"),
                Arguments.of("capabilities_baseline", (Check.PodCheck) ContainerChecks::capabilities, """
                        spec:
                          containers:
                          - {name: a, securityContext: {capabilities: {add: [FOO, BAR]}}}
                          - {name: b, securityContext: {capabilities: {add: [BAR, BAZ]}}}
                          - {name: c, securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN]}}}
                        """, "non-default capabilities",
                        "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in securityContext.capabilities.add"),
                Arguments.of("procMount", (Check.PodCheck) ContainerChecks::procMount, """
                        spec:
                          containers:
                          - {name: a}
                          - {name: b, securityContext: {}}
                          - {name: c, securityContext: {procMount: Default}}
                          - {name: d, securityContext: {procMount: Unmasked}}
                          - {name: e, securityContext: {procMount: other}}
                        """, "procMount", "containers \"d\", \"e\" must not set securityContext.procMount to \"Unmasked\", \"other\""),
                Arguments.of("appArmor fields", (Check.PodCheck) ProfileChecks::appArmor, """
                        spec:
                          securityContext: {appArmorProfile: {type: Unconfined}}
                          containers: [{name: foo, securityContext: {appArmorProfile: {type: Localhost, localhostProfile: p}}}]
                        """, "forbidden AppArmor profile", "pod must not set AppArmor profile type to \"Unconfined\""),
                Arguments.of("appArmor annotations", (Check.PodCheck) ProfileChecks::appArmor, """
                        metadata:
                          annotations:
                            container.apparmor.security.beta.kubernetes.io/a: runtime/default
                            container.apparmor.security.beta.kubernetes.io/b: unconfined
                            container.apparmor.security.beta.kubernetes.io/c: localhost/foo
                            container.apparmor.security.beta.kubernetes.io/d: bar
                        spec: {containers: [{name: a}]}
                        """, "forbidden AppArmor profiles", "annotations must not set AppArmor profile type to "
                        + "\"container.apparmor.security.beta.kubernetes.io/b=\"unconfined\"\", "
                        + "\"container.apparmor.security.beta.kubernetes.io/d=\"bar\"\""),
                Arguments.of("seLinuxOptions", (Check.PodCheck) (m, s) -> ProfileChecks.seLinux(s, java.util.Set.of("", "container_t")), """
                        spec:
                          securityContext: {seLinuxOptions: {type: foo, user: u, role: r}}
                          containers:
                          - {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
                          - {name: e, securityContext: {seLinuxOptions: {type: bar}}}
                          - {name: f, securityContext: {seLinuxOptions: {user: x}}}
                          - {name: g, securityContext: {seLinuxOptions: {role: x}}}
                        """, "seLinuxOptions", "pod and containers \"e\", \"f\", \"g\" set forbidden securityContext.seLinuxOptions: "
                        + "types \"bar\", \"foo\"; user may not be set; role may not be set"),
                Arguments.of("seccomp annotations (before 1.19)", (Check.PodCheck) ProfileChecks::seccompAnnotations, """
                        metadata:
                          annotations:
                            seccomp.security.alpha.kubernetes.io/pod: unconfined
                            container.seccomp.security.alpha.kubernetes.io/a: unconfined
                            container.seccomp.security.alpha.kubernetes.io/b: unknown
                            container.seccomp.security.alpha.kubernetes.io/c: runtime/default
                        spec: {containers: [{name: a}, {name: b}, {name: c}]}
                        """, "seccompProfile", "forbidden annotations container.seccomp.security.alpha.kubernetes.io/a=\"unconfined\", "
                        + "container.seccomp.security.alpha.kubernetes.io/b=\"unknown\", seccomp.security.alpha.kubernetes.io/pod=\"unconfined\""),
                Arguments.of("seccompProfile_baseline", (Check.PodCheck) ProfileChecks::seccompBaseline, """
                        spec:
                          securityContext: {seccompProfile: {type: Unconfined}}
                          containers:
                          - {name: a}
                          - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
                          - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}
                          - {name: e, securityContext: {seccompProfile: {type: RuntimeDefault}}}
                        """, "seccompProfile", "pod and containers \"c\", \"d\" must not set securityContext.seccompProfile.type to \"Unconfined\""),
                Arguments.of("sysctls", (Check.PodCheck) (m, s) -> ProfileChecks.sysctls(s, java.util.Set.of("kernel.shm_rmid_forced")), """
                        spec: {securityContext: {sysctls: [{name: a, value: "1"}, {name: kernel.shm_rmid_forced, value: "1"}, {name: b}]}}
                        """, "forbidden sysctls", "a, b"),
                Arguments.of("restrictedVolumes", (Check.PodCheck) RestrictedChecks::volumes, """
                        spec:
                          volumes:
                          - {name: a, emptyDir: {}}
                          - {name: b, hostPath: {path: /}}
                          - {name: c, nfs: {server: s, path: /}}
                          - {name: d, configMap: {name: x}}
                          - {name: e, image: {reference: x}}
                        """, "restricted volume types", "volumes \"b\", \"c\", \"e\" use restricted volume types \"hostPath\", \"nfs\", \"unknown\""),
                Arguments.of("allowPrivilegeEscalation", (Check.PodCheck) RestrictedChecks::allowPrivilegeEscalation, """
                        spec:
                          containers:
                          - {name: a}
                          - {name: b, securityContext: {}}
                          - {name: c, securityContext: {allowPrivilegeEscalation: true}}
                          - {name: d, securityContext: {allowPrivilegeEscalation: false}}
                        """, "allowPrivilegeEscalation != false",
                        "containers \"a\", \"b\", \"c\" must set securityContext.allowPrivilegeEscalation=false"),
                Arguments.of("runAsNonRoot explicit false", (Check.PodCheck) RestrictedChecks::runAsNonRoot, """
                        spec:
                          securityContext: {runAsNonRoot: true}
                          containers:
                          - {name: a}
                          - {name: b, securityContext: {runAsNonRoot: true}}
                          - {name: c, securityContext: {runAsNonRoot: false}}
                          - {name: d, securityContext: {runAsNonRoot: false}}
                        """, "runAsNonRoot != true", "containers \"c\", \"d\" must not set securityContext.runAsNonRoot=false"),
                Arguments.of("runAsNonRoot unset", (Check.PodCheck) RestrictedChecks::runAsNonRoot, """
                        spec: {containers: [{name: a}, {name: b, securityContext: {runAsNonRoot: true}}]}
                        """, "runAsNonRoot != true", "pod or container \"a\" must set securityContext.runAsNonRoot=true"),
                Arguments.of("runAsUser", (Check.PodCheck) RestrictedChecks::runAsUser, """
                        spec:
                          securityContext: {runAsUser: 0}
                          containers:
                          - {name: a, securityContext: {runAsUser: 1000}}
                          - {name: c, securityContext: {runAsUser: 0}}
                          - {name: d, securityContext: {runAsUser: 0}}
                        """, "runAsUser=0", "pod and containers \"c\", \"d\" must not set runAsUser=0"),
                Arguments.of("seccompProfile_restricted unset", (Check.PodCheck) RestrictedChecks::seccomp, """
                        spec: {containers: [{name: a}, {name: b}, {name: c, securityContext: {seccompProfile: {type: Localhost}}}]}
                        """, "seccompProfile",
                        "pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\""),
                Arguments.of("capabilities_restricted", (Check.PodCheck) RestrictedChecks::capabilities, """
                        spec:
                          containers:
                          - {name: a, securityContext: {capabilities: {add: [FOO]}}}
                          - {name: b, securityContext: {capabilities: {add: [BAR, BAZ]}}}
                          - {name: c, securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN], drop: [ALL, FOO]}}}
                          - {name: d, securityContext: {capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}}}
                        """, "unrestricted capabilities", "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; "
                        + "containers \"a\", \"b\", \"c\" must not include \"BAR\", \"BAZ\", \"CHOWN\", \"FOO\" in securityContext.capabilities.add"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachCheckGivesKubernetesReasonAndDetail(String name, Check.PodCheck check, String yaml, String reason, String detail) throws Exception {
        JsonNode pod = Json.YAML.readTree(yaml);
        CheckResult result = check.check(pod.path("metadata"), pod.path("spec"));
        assertThat(result.allowed()).isFalse();
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.detail()).isEqualTo(detail);
    }

    static Stream<Arguments> compliant() {
        return violations().map(a -> Arguments.of(a.get()[0], a.get()[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compliant")
    void anEmptyContainerPassesEveryBaselineCheck(String name, Check.PodCheck check) throws Exception {
        JsonNode pod = Json.YAML.readTree("""
                spec:
                  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: a
                    image: nginx
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                  volumes: [{name: v, emptyDir: {}}]
                """);
        assertThat(check.check(pod.path("metadata"), pod.path("spec")).allowed()).isTrue();
    }
}
