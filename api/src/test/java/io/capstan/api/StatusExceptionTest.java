package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusExceptionTest {

    private final ResourceRegistry types = ResourceRegistry.withBuiltins();

    @Test
    void messagesReadLikeKubernetes() {
        ResourceType deployments = types.find("apps", "v1", "deployments").orElseThrow();
        ResourceType pods = types.find("", "v1", "pods").orElseThrow();
        assertThat(StatusException.notFound(deployments, "web").getMessage()).isEqualTo("deployments.apps \"web\" not found");
        assertThat(StatusException.notFound(pods, "p").getMessage()).isEqualTo("pods \"p\" not found");
        assertThat(StatusException.alreadyExists(pods, "p").code()).isEqualTo(409);
        assertThat(StatusException.staleWrite(deployments, "web").getMessage()).isEqualTo(
                "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; "
                        + "please apply your changes to the latest version and try again");
    }

    @Test
    void invalidListsEveryFieldError() {
        ResourceType deployments = types.find("apps", "v1", "deployments").orElseThrow();
        StatusException one = StatusException.invalid(deployments, "web",
                List.of(FieldError.invalid("spec.replicas", "-1", "must be greater than or equal to 0")));
        assertThat(one.getMessage()).isEqualTo(
                "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        StatusException two = StatusException.invalid(deployments, "web",
                List.of(FieldError.required("spec.selector", ""), FieldError.required("spec.template.spec.containers", "")));
        assertThat(two.getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: "
                + "[spec.selector: Required value, spec.template.spec.containers: Required value]");
        assertThat(two.code()).isEqualTo(422);
        assertThat(two.causes()).extracting(c -> c.type().reason()).containsOnly("FieldValueRequired");
    }

    @Test
    void anObjectWithoutANameIsInvalidWithAnEmptyQuotedName() {
        ResourceType configMaps = types.find("", "v1", "configmaps").orElseThrow();
        StatusException e = StatusException.invalid(configMaps, null,
                List.of(FieldError.required("metadata.name", "name or generateName is required")));
        assertThat(e.getMessage()).isEqualTo(
                "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
    }

    @Test
    void registryMapsPathsAndKinds() {
        assertThat(types.find("batch", "v1", "cronjobs").orElseThrow().shortNames()).containsExactly("cj");
        assertThat(types.findKind("apps/v1", "ReplicaSet")).isPresent();
        assertThat(types.findKind("v1", "Namespace").orElseThrow().namespaced()).isFalse();
        assertThat(types.groups()).containsKeys("apps", "batch", "rbac.authorization.k8s.io", "apiextensions.k8s.io");
        assertThat(types.groups()).doesNotContainKey("");
    }
}
