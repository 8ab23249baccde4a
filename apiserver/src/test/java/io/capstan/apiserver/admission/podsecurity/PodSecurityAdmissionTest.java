package io.capstan.apiserver.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.AdmissionRequest.Operation;
import io.capstan.apiserver.admission.AdmissionResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admission flow: enforce refuses pods, warn and audit speak up, workload templates and namespace labels. */
class PodSecurityAdmissionTest {

    private final Map<String, ObjectNode> namespaces = new HashMap<>();
    private final Map<String, List<ObjectNode>> pods = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> annotations = new HashMap<>();
    private final AdmissionResponse response = new AdmissionResponse() {
        @Override
        public void warn(String text) {
            warnings.add(text);
        }

        @Override
        public void annotate(String key, String value) {
            annotations.put(key, value);
        }
    };

    private PodSecurityAdmission admission(PodSecurityConfig config) {
        return new PodSecurityAdmission(config, Evaluator.defaultChecks(), name -> Optional.ofNullable(namespaces.get(name)),
                ns -> pods.getOrDefault(ns, List.of()));
    }

    private final PodSecurityAdmission admission = admission(PodSecurityConfig.DEFAULT);

    private void namespace(String name, String... labels) {
        namespaces.put(name, namespaceObject(name, labels));
    }

    private static ObjectNode namespaceObject(String name, String... labels) {
        ObjectNode ns = Json.object();
        ObjectNode meta = ns.putObject("metadata").put("name", name);
        ObjectNode l = meta.putObject("labels");
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return ns;
    }

    private static ObjectNode parse(String yaml) {
        try {
            return (ObjectNode) Json.YAML.readTree(yaml);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final ObjectNode PRIVILEGED_POD = parse("""
            metadata: {name: x}
            spec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}
            """);

    private AdmissionRequest create(ResourceType type, String ns, String name, ObjectNode obj) {
        return new AdmissionRequest(Operation.CREATE, type, ns, name, "", obj, null, "alice", response);
    }

    @Test
    void enforceRefusesAViolatingPodWithKubernetesMessageAndAuditsThePolicy() {
        namespace("locked", Policy.ENFORCE, "restricted", Policy.AUDIT, "baseline");
        assertThatThrownBy(() -> admission.validate(create(Kinds.PODS, "locked", "x", PRIVILEGED_POD)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("Forbidden");
                    assertThat(e.getMessage()).isEqualTo("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\": "
                            + "privileged (container \"c\" must not set securityContext.privileged=true), "
                            + "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
                            + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                            + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
                            + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
                });
        assertThat(annotations).containsEntry("pod-security.kubernetes.io/enforce-policy", "restricted:latest")
                .containsEntry("pod-security.kubernetes.io/audit-violations",
                        "would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set securityContext.privileged=true)");
        assertThat(warnings).as("a refused request gets no warnings").isEmpty();
    }

    @Test
    void warnLetsThePodInWithAWarning() {
        namespace("loose", Policy.WARN, "baseline");
        admission.validate(create(Kinds.PODS, "loose", "x", PRIVILEGED_POD));
        assertThat(warnings).containsExactly(
                "would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set securityContext.privileged=true)");
        assertThat(annotations).containsEntry("pod-security.kubernetes.io/enforce-policy", "privileged:latest");
    }

    @Test
    void privilegedNamespacesAllowEverythingAndSaySo() {
        namespace("open");
        admission.validate(create(Kinds.PODS, "open", "x", PRIVILEGED_POD));
        assertThat(warnings).isEmpty();
        assertThat(annotations).containsExactly(Map.entry("pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
    }

    @Test
    void workloadTemplatesAreWarnedAndAuditedButNeverRefused() {
        namespace("locked", Policy.ENFORCE, "restricted");
        ObjectNode deployment = parse("""
                metadata: {name: web}
                spec:
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}
                """);
        admission.validate(create(Kinds.DEPLOYMENTS, "locked", "web", deployment));
        assertThat(warnings).singleElement().asString().startsWith("would violate PodSecurity \"restricted:latest\": privileged (");

        ObjectNode cronJob = parse("""
                metadata: {name: nightly}
                spec: {jobTemplate: {spec: {template: {spec: {hostPID: true, containers: [{name: c}]}}}}}
                """);
        warnings.clear();
        admission.validate(create(Kinds.CRON_JOBS, "locked", "nightly", cronJob));
        assertThat(warnings).singleElement().asString().contains("host namespaces (hostPID=true)");
    }

    @Test
    void statusUpdatesAndUpdatesThatKeepTheImagesAreNotJudged() {
        namespace("locked", Policy.ENFORCE, "restricted");
        ObjectNode changed = PRIVILEGED_POD.deepCopy();
        Json.with(changed, "metadata").putObject("labels").put("a", "b");
        admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.PODS, "locked", "x", "status", changed, PRIVILEGED_POD, "kubelet", response));
        admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.PODS, "locked", "x", "", changed, PRIVILEGED_POD, "alice", response));

        ObjectNode newImage = PRIVILEGED_POD.deepCopy();
        ((ObjectNode) newImage.at("/spec/containers/0")).put("image", "nginx:2");
        assertThatThrownBy(() -> admission.validate(
                new AdmissionRequest(Operation.UPDATE, Kinds.PODS, "locked", "x", "", newImage, PRIVILEGED_POD, "alice", response)))
                .hasMessageContaining("violates PodSecurity");
        ObjectNode ephemeral = PRIVILEGED_POD.deepCopy();
        ((ObjectNode) ephemeral.get("spec")).putArray("ephemeralContainers").addObject().put("name", "debug").put("image", "busybox");
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.PODS, "locked", "x",
                "ephemeralcontainers", ephemeral, PRIVILEGED_POD, "alice", response))).hasMessageContaining("containers \"c\", \"debug\"");
    }

    @Test
    void exemptNamespacesUsersAndRuntimeClassesPassAndAreAnnotated() {
        namespace("locked", Policy.ENFORCE, "restricted");
        namespace("system", Policy.ENFORCE, "restricted");
        PodSecurityAdmission configured = admission(new PodSecurityConfig(Policy.PRIVILEGED, Set.of("ops"), Set.of("system"), Set.of("kata")));
        configured.validate(create(Kinds.PODS, "system", "x", PRIVILEGED_POD));
        assertThat(annotations).containsEntry("pod-security.kubernetes.io/exempt", "namespace");
        configured.validate(new AdmissionRequest(Operation.CREATE, Kinds.PODS, "locked", "x", "", PRIVILEGED_POD, null, "ops", response));
        assertThat(annotations).containsEntry("pod-security.kubernetes.io/exempt", "user");
        ObjectNode kata = PRIVILEGED_POD.deepCopy();
        ((ObjectNode) kata.get("spec")).put("runtimeClassName", "kata");
        configured.validate(create(Kinds.PODS, "locked", "x", kata));
        assertThat(annotations).containsEntry("pod-security.kubernetes.io/exempt", "runtimeClass");
    }

    @Test
    void configuredDefaultsApplyToUnlabelledNamespaces() {
        namespace("plain");
        LevelVersion baseline = new LevelVersion(Level.BASELINE, Version.LATEST);
        PodSecurityAdmission configured = admission(new PodSecurityConfig(new Policy(baseline, baseline, baseline), Set.of(), Set.of(), Set.of()));
        assertThatThrownBy(() -> configured.validate(create(Kinds.PODS, "plain", "x", PRIVILEGED_POD)))
                .hasMessageContaining("violates PodSecurity \"baseline:latest\"");
    }

    @Test
    void namespaceLabelsMustBeValid() {
        ObjectNode bad = namespaceObject("team", Policy.ENFORCE, "strict");
        assertThatThrownBy(() -> admission.validate(create(Kinds.NAMESPACES, "", "team", bad)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Namespace \"team\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: "
                            + "Invalid value: \"strict\": must be one of privileged, baseline, restricted");
                });
        // an invalid label that was already there does not block other updates
        ObjectNode relabelled = bad.deepCopy();
        Json.with(relabelled, "metadata", "labels").put("team", "blue");
        admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.NAMESPACES, "", "team", "", relabelled, bad, "alice", response));
    }

    @Test
    void aStricterEnforceLabelWarnsAboutExistingPods() {
        ObjectNode before = namespaceObject("team");
        ObjectNode after = namespaceObject("team", Policy.ENFORCE, "baseline");
        List<ObjectNode> existing = new ArrayList<>();
        for (String name : List.of("b", "a", "c")) {
            ObjectNode pod = PRIVILEGED_POD.deepCopy();
            Json.with(pod, "metadata").put("name", name);
            existing.add(pod);
        }
        ObjectNode hostNet = parse("metadata: {name: h}\nspec: {hostNetwork: true, containers: [{name: c}]}");
        existing.add(hostNet);
        existing.add(parse("metadata: {name: fine}\nspec: {containers: [{name: c}]}"));
        pods.put("team", existing);
        admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.NAMESPACES, "", "team", "", after, before, "alice", response));
        assertThat(warnings).containsExactly(
                "existing pods in namespace \"team\" violate the new PodSecurity enforce level \"baseline:latest\"",
                "a (and 2 other pods): privileged",
                "h: host namespaces");

        warnings.clear();
        admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.NAMESPACES, "", "team", "", before, after, "alice", response));
        assertThat(warnings).as("relaxing checks nothing").isEmpty();
    }
}
