package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 client and kubectl describe/events against a real server. */
class ClientsTest {

    @TempDir
    static Path dir;
    static CapstanServer server;
    static KubernetesClient client;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        server = CapstanServer.start(dir.resolve("data"));
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void fabric8CrudAndWatch() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch watch = client.configMaps().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            ConfigMap created = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("f8").withLabels(Map.of("app", "f8")).endMetadata()
                    .addToData("a", "1").build()).create();
            assertThat(created.getMetadata().getUid()).isNotBlank();
            assertThat(client.configMaps().inNamespace("default").withLabel("app", "f8").list().getItems()).hasSize(1);
            client.configMaps().inNamespace("default").withName("f8").edit(cm -> new ConfigMapBuilder(cm).addToData("b", "2").build());
            assertThat(client.configMaps().inNamespace("default").withName("f8").get().getData()).containsEntry("b", "2");
            client.configMaps().inNamespace("default").withName("f8").delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("DELETED f8"));
            assertThat(events).containsSubsequence("ADDED f8", "MODIFIED f8", "DELETED f8");
        }
        assertThat(client.configMaps().inNamespace("default").withName("f8").get()).isNull();
    }

    @Test
    void fabric8ScaleAndConflicts() {
        Deployment d = client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("scaled").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "s").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "s").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        client.apps().deployments().inNamespace("default").withName("scaled").scale(4);
        assertThat(client.apps().deployments().inNamespace("default").withName("scaled").get().getSpec().getReplicas()).isEqualTo(4);
        d.getMetadata().setResourceVersion("1");
        d.getSpec().setReplicas(2);
        try {
            client.apps().deployments().inNamespace("default").resource(d).update();
            throw new AssertionError("a stale update must fail");
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(409);
        }
    }

    @Test
    void describeShowsTheEventsOfAnObject() throws Exception {
        kubectl.run("create", "configmap", "described").ok();
        String uid = kubectl.run("get", "configmap", "described", "-o", "jsonpath={.metadata.uid}").ok().out();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Event
                metadata: {name: described.1, namespace: default}
                involvedObject: {apiVersion: v1, kind: ConfigMap, name: described, namespace: default, uid: %s}
                reason: Configured
                message: the configuration was read
                type: Normal
                source: {component: capstan-test}
                firstTimestamp: "2026-11-24T10:00:00Z"
                lastTimestamp: "2026-11-24T10:00:00Z"
                count: 1
                """.formatted(uid), "create", "-f", "-").ok();
        String out = kubectl.run("describe", "configmap", "described").ok().out();
        assertThat(out).contains("Events:").contains("Configured").contains("the configuration was read");
        String events = kubectl.run("get", "events", "--field-selector", "involvedObject.name=described", "-o", "name").ok().out();
        assertThat(events).contains("event/described.1");
        kubectl.runWithInput("""
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: described.2, namespace: default}
                regarding: {apiVersion: v1, kind: ConfigMap, name: described, namespace: default}
                reason: Checked
                note: checked again
                type: Normal
                action: Check
                reportingController: capstan.io/test
                reportingInstance: test-1
                eventTime: "2026-11-24T10:00:00.000000Z"
                """, "create", "-f", "-").ok();
        assertThat(kubectl.run("get", "events.v1.events.k8s.io", "-o", "name").ok().out()).contains("described.2");
    }
}
