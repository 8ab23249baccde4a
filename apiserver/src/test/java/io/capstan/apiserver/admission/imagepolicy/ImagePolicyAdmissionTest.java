package io.capstan.apiserver.admission.imagepolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.AdmissionRequest.Operation;
import io.capstan.apiserver.admission.AdmissionResponse;
import org.junit.jupiter.api.Test;

/** Pods whose images come from elsewhere, or float on a tag where digests are required, are refused. */
class ImagePolicyAdmissionTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    private static ImagePolicy policy(String yaml) throws Exception {
        return ImagePolicy.parse(Json.YAML.readTree(yaml));
    }

    private static ObjectNode pod(String... images) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "p");
        var containers = pod.putObject("spec").putArray("containers");
        for (int i = 0; i < images.length; i++) {
            containers.addObject().put("name", "c" + i).put("image", images[i]);
        }
        return pod;
    }

    private static AdmissionRequest create(String ns, ObjectNode pod) {
        return new AdmissionRequest(Operation.CREATE, Kinds.PODS, ns, "p", "", pod, null, "alice", AdmissionResponse.DISCARD);
    }

    @Test
    void imagesFromUnlistedRegistriesAreRefusedWithTheNormalizedReference() throws Exception {
        ImagePolicyAdmission admission = new ImagePolicyAdmission(policy("""
                allowedRegistries: [quay.io/team, registry.example.com/]
                """));
        assertThatCode(() -> admission.validate(create("default", pod("quay.io/team/app:1", "registry.example.com/x/y")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.validate(create("default", pod("quay.io/team/app:1", "nginx", "quay.io/teamster/app"))))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"p\" is forbidden: image policy: "
                            + "container \"c1\" uses image \"nginx\" (docker.io/library/nginx:latest), which is not from an allowed registry "
                            + "(quay.io/team, registry.example.com); "
                            + "container \"c2\" uses image \"quay.io/teamster/app\" (quay.io/teamster/app:latest), which is not from an allowed "
                            + "registry (quay.io/team, registry.example.com)");
                });
    }

    @Test
    void dockerHubEntriesMatchShortNames() throws Exception {
        ImagePolicyAdmission admission = new ImagePolicyAdmission(policy("allowedRegistries: [index.docker.io/library]"));
        assertThatCode(() -> admission.validate(create("default", pod("nginx:1.27", "docker.io/library/busybox")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.validate(create("default", pod("bitnami/redis")))).hasMessageContaining("not from an allowed registry");
    }

    @Test
    void requireDigestRefusesTagsAndPerNamespaceRulesAndExemptionsApply() throws Exception {
        ImagePolicyAdmission admission = new ImagePolicyAdmission(policy("""
                requireDigest: true
                exemptNamespaces: [kube-system]
                namespaces:
                  dev: {requireDigest: false}
                """));
        assertThatThrownBy(() -> admission.validate(create("default", pod("nginx:1.27"))))
                .hasMessage("pods \"p\" is forbidden: image policy: container \"c0\" uses image \"nginx:1.27\" "
                        + "(docker.io/library/nginx:1.27), which is not pinned by digest (image@sha256:...)");
        assertThatCode(() -> admission.validate(create("default", pod("nginx:1.27@" + DIGEST)))).doesNotThrowAnyException();
        assertThatCode(() -> admission.validate(create("dev", pod("nginx:1.27")))).doesNotThrowAnyException();
        assertThatCode(() -> admission.validate(create("kube-system", pod("nginx")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.validate(create("default", pod("Not A Reference"))))
                .hasMessageContaining("which is not a valid image reference");
    }

    @Test
    void updatesAreJudgedOnlyOnImagesThatChange() throws Exception {
        ImagePolicyAdmission admission = new ImagePolicyAdmission(policy("requireDigest: true"));
        ObjectNode old = pod("nginx");
        ObjectNode labelled = old.deepCopy();
        Json.with(labelled, "metadata", "labels").put("a", "b");
        assertThatCode(() -> admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.PODS, "default", "p", "", labelled, old,
                "alice", AdmissionResponse.DISCARD))).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.validate(new AdmissionRequest(Operation.UPDATE, Kinds.PODS, "default", "p", "", pod("nginx:2"),
                old, "alice", AdmissionResponse.DISCARD))).hasMessageContaining("not pinned by digest");
    }

    @Test
    void aPolicyFileWithWrongTypesIsRefused() {
        assertThatThrownBy(() -> policy("requireDigest: yes-please")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy("allowedRegistries: quay.io")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy("kind: Other")).isInstanceOf(IllegalArgumentException.class);
    }
}
