package io.capstan.agent.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.agent.FakePodObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    private final FakePodObjects objects = new FakePodObjects();
    private final EnvResolver resolver = new EnvResolver(objects,
            () -> Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "ephemeral-storage", new Quantity("100Gi")));
    private final PodAddresses addresses = new PodAddresses(List.of("10.0.0.5", "fd00::5"), List.of("192.168.1.2", "fd01::2"));

    private Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("u-1")
                .withLabels(Map.of("app", "web", "tier", "front")).withAnnotations(Map.of("note", "say \"hi\"\n")).endMetadata()
                .withNewSpec().withNodeName("node-1").withServiceAccountName("sa").withContainers(c).endSpec().build();
    }

    private List<String> env(ContainerBuilder c) {
        Container container = c.withName("app").build();
        return resolver.resolve(pod(container), container, addresses, Map.of()).env();
    }

    @Test
    void valuesExpandOnlyVariablesDefinedBefore() {
        assertThat(env(new ContainerBuilder()
                .addNewEnv().withName("A").withValue("a").endEnv()
                .addNewEnv().withName("B").withValue("$(A)-$(C)-$$(A)").endEnv()
                .addNewEnv().withName("C").withValue("c").endEnv()))
                .containsExactly("A=a", "B=a-$(C)-$(A)", "C=c");
    }

    @Test
    void referencesReachServiceVariablesAndThoseNotSetAreAppended() {
        Container c = new ContainerBuilder().withName("app").addNewEnv().withName("URL").withValue("https://$(KUBERNETES_SERVICE_HOST)").endEnv()
                .addNewEnv().withName("KUBERNETES_PORT").withValue("mine").endEnv().build();
        var env = resolver.resolve(pod(c), c, addresses, Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_PORT", "tcp://x")).env();
        assertThat(env).containsExactly("URL=https://10.96.0.1", "KUBERNETES_PORT=mine", "KUBERNETES_SERVICE_HOST=10.96.0.1");
    }

    @Test
    void envFromComesFirstWithPrefixAndEnvOverridesIt() {
        objects.configMap("prod", "cfg", Map.of("LEVEL", "debug", "MODE", "fast"));
        objects.secret("prod", "creds", Map.of("PASSWORD", "s3cret"));
        assertThat(env(new ContainerBuilder()
                .addNewEnvFrom().withNewConfigMapRef("cfg", false).endEnvFrom()
                .addNewEnvFrom().withPrefix("DB_").withNewSecretRef("creds", false).endEnvFrom()
                .addNewEnv().withName("MODE").withValue("slow-$(DB_PASSWORD)").endEnv()))
                .containsExactly("LEVEL=debug", "MODE=slow-s3cret", "DB_PASSWORD=s3cret");
    }

    @Test
    void envFromSkipsInvalidNamesAndReportsThem() {
        objects.configMap("prod", "cfg", Map.of("1234", "x", "1z", "y", "key", "value", "app.properties", "z"));
        Container c = new ContainerBuilder().withName("app").addNewEnvFrom().withNewConfigMapRef("cfg", false).endEnvFrom().build();
        var resolved = resolver.resolve(pod(c), c, addresses, Map.of());
        assertThat(resolved.env()).containsExactly("app.properties=z", "key=value");
        assertThat(resolved.warnings()).containsExactly(new io.capstan.agent.PodWarning("InvalidEnvironmentVariableNames",
                "Keys [1234, 1z] from the EnvFrom configMap prod/cfg were skipped since they are considered invalid environment variable names."));
    }

    @Test
    void missingConfigMapsSecretsAndKeysFailAsTheKubeletSays() {
        assertThatThrownBy(() -> env(new ContainerBuilder().addNewEnvFrom().withNewConfigMapRef("nope", false).endEnvFrom()))
                .isInstanceOf(ContainerConfigError.class).hasMessage("configmap \"nope\" not found");
        assertThatThrownBy(() -> env(new ContainerBuilder().addNewEnv().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("k", "nope", false).endValueFrom().endEnv()))
                .hasMessage("secret \"nope\" not found");
        objects.configMap("prod", "cfg", Map.of("a", "1"));
        objects.secret("prod", "creds", Map.of("a", "1"));
        assertThatThrownBy(() -> env(new ContainerBuilder().addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "cfg", false).endValueFrom().endEnv()))
                .hasMessage("couldn't find key k in ConfigMap prod/cfg");
        assertThatThrownBy(() -> env(new ContainerBuilder().addNewEnv().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("k", "creds", false).endValueFrom().endEnv()))
                .hasMessage("couldn't find key k in Secret prod/creds");
    }

    @Test
    void optionalSourcesAndKeysThatAreMissingLeaveTheVariableOut() {
        objects.configMap("prod", "cfg", Map.of("a", "1"));
        assertThat(env(new ContainerBuilder()
                .addNewEnvFrom().withNewConfigMapRef("nope", true).endEnvFrom()
                .addNewEnvFrom().withNewSecretRef("nope", true).endEnvFrom()
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "cfg", true).endValueFrom().endEnv()
                .addNewEnv().withName("Y").withNewValueFrom().withNewSecretKeyRef("k", "nope", true).endValueFrom().endEnv()
                .addNewEnv().withName("Z").withNewValueFrom().withNewConfigMapKeyRef("a", "cfg", true).endValueFrom().endEnv()))
                .containsExactly("Z=1");
    }

    @Test
    void fieldRefsReadThePodAndItsAddresses() {
        String[][] cases = {
                {"metadata.name", "web"}, {"metadata.namespace", "prod"}, {"metadata.uid", "u-1"},
                {"metadata.labels['app']", "web"}, {"metadata.labels['none']", ""},
                {"metadata.labels", "app=\"web\"\ntier=\"front\""}, {"metadata.annotations", "note=\"say \\\"hi\\\"\\n\""},
                {"metadata.annotations['note']", "say \"hi\"\n"},
                {"spec.nodeName", "node-1"}, {"spec.serviceAccountName", "sa"},
                {"status.podIP", "10.0.0.5"}, {"status.podIPs", "10.0.0.5,fd00::5"},
                {"status.hostIP", "192.168.1.2"}, {"status.hostIPs", "192.168.1.2,fd01::2"}};
        for (String[] c : cases) {
            assertThat(env(new ContainerBuilder().addNewEnv().withName("V").withNewValueFrom().withNewFieldRef("v1", c[0]).endValueFrom().endEnv()))
                    .as(c[0]).containsExactly("V=" + c[1]);
        }
        assertThatThrownBy(() -> env(new ContainerBuilder().addNewEnv().withName("V").withNewValueFrom()
                .withNewFieldRef("v1", "spec.hostname").endValueFrom().endEnv()))
                .hasMessage("field label not supported: spec.hostname");
    }

    @Test
    void resourceFieldRefsDivideRoundingUpAndFallBackToAllocatable() {
        ContainerBuilder c = new ContainerBuilder().withNewResources()
                .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi")))
                .withLimits(Map.of("memory", new Quantity("128Mi"))).endResources();
        String[][] cases = {
                {"requests.cpu", null, "1"}, {"requests.cpu", "1m", "250"}, {"requests.memory", "1Mi", "64"},
                {"limits.memory", null, "134217728"}, {"limits.memory", "1M", "135"},
                {"limits.cpu", null, "4"}, {"limits.cpu", "1m", "4000"}, {"limits.ephemeral-storage", "1Gi", "100"},
                {"requests.ephemeral-storage", null, "0"}};
        for (String[] rc : cases) {
            var ref = new io.fabric8.kubernetes.api.model.ResourceFieldSelectorBuilder().withResource(rc[0])
                    .withDivisor(rc[1] == null ? null : new Quantity(rc[1])).build();
            assertThat(env(c.withEnv(List.of()).addNewEnv().withName("V").withNewValueFrom().withResourceFieldRef(ref).endValueFrom().endEnv()))
                    .as(rc[0] + " / " + rc[1]).containsExactly("V=" + rc[2]);
        }
    }
}
