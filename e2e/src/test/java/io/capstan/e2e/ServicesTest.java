package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services through the real kubectl against two simulated nodes: cluster IPs and node ports allocated at once,
 * duplicates rejected and released with their Service, Endpoints and EndpointSlices following pods as they scale and
 * lose readiness, headless, ExternalName and LoadBalancer Services, named target ports, and the `kubernetes` Service.
 */
class ServicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "2");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anExposedDeploymentHasAClusterIpAndEndpointsThatFollowItsPods() throws Exception {
        kubectl.run("create", "namespace", "expose").ok();
        kubectl.run("create", "deployment", "web", "-n", "expose", "--image=nginx", "--replicas=2", "--port=80").ok();
        assertThat(kubectl.run("expose", "deployment", "web", "-n", "expose", "--port=80").ok().out()).contains("service/web exposed");

        String clusterIp = json("get", "svc", "web", "-n", "expose", "-o", "json").at("/spec/clusterIP").asText();
        assertThat(clusterIp).matches("10\\.43\\.\\d+\\.\\d+").isNotEqualTo("10.43.0.1");
        assertThat(kubectl.run("get", "svc", "web", "-n", "expose", "-o", "wide").ok().out())
                .containsPattern("web +ClusterIP +" + clusterIp.replace(".", "\\.") + " +<none> +80/TCP +\\S+ +app=web");

        await().atMost(WAIT).untilAsserted(() -> assertThat(readyAddresses("expose", "web")).hasSize(2)
                .isEqualTo(podIps("expose", "app=web")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(sliceAddresses("expose", "web", true)).isEqualTo(podIps("expose", "app=web")));
        JsonNode slice = json("get", "endpointslices", "-n", "expose", "-l", "kubernetes.io/service-name=web", "-o", "json").at("/items/0");
        assertThat(slice.at("/metadata/labels/endpointslice.kubernetes.io~1managed-by").asText()).isEqualTo("endpointslice-controller.k8s.io");
        assertThat(slice.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Service");
        assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(80);
        assertThat(slice.at("/endpoints/0/nodeName").asText()).startsWith("sim-");
        assertThat(slice.at("/endpoints/0/targetRef/kind").asText()).isEqualTo("Pod");

        kubectl.run("scale", "deployment", "web", "-n", "expose", "--replicas=3").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(readyAddresses("expose", "web")).hasSize(3)
                .isEqualTo(podIps("expose", "app=web")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(sliceAddresses("expose", "web", true)).hasSize(3));

        String unready = json("get", "pods", "-n", "expose", "-l", "app=web", "-o", "json").at("/items/0/metadata/name").asText();
        String unreadyIp = json("get", "pod", unready, "-n", "expose", "-o", "json").at("/status/podIP").asText();
        kubectl.run("annotate", "pod", unready, "-n", "expose", "capstan.io/simulated-ready=false").ok();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode subset = json("get", "endpoints", "web", "-n", "expose", "-o", "json").at("/subsets/0");
            assertThat(ips(subset.path("notReadyAddresses"))).containsExactly(unreadyIp);
            assertThat(ips(subset.path("addresses"))).hasSize(2).doesNotContain(unreadyIp);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(sliceAddresses("expose", "web", false)).containsExactly(unreadyIp));

        kubectl.run("scale", "deployment", "web", "-n", "expose", "--replicas=0").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "endpoints", "web", "-n", "expose").ok().out())
                .containsPattern("web +<none>"));
    }

    @Test
    void nodePortsAndClusterIpsAreUniqueAndFreedWithTheirService() throws Exception {
        kubectl.run("create", "namespace", "ports").ok();
        kubectl.run("create", "service", "nodeport", "np1", "-n", "ports", "--tcp=80:8080", "--node-port=30080").ok();
        assertThat(kubectl.run("get", "svc", "np1", "-n", "ports").ok().out()).containsPattern("np1 +NodePort +10\\.43\\.\\S+ +<none> +80:30080/TCP");

        Kubectl.Result duplicate = kubectl.run("create", "service", "nodeport", "np2", "-n", "ports", "--tcp=80:8080", "--node-port=30080");
        assertThat(duplicate.exit()).isNotZero();
        assertThat(duplicate.err()).contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");

        kubectl.run("create", "service", "clusterip", "fixed", "-n", "ports", "--clusterip=10.43.200.200", "--tcp=80").ok();
        Kubectl.Result taken = kubectl.run("create", "service", "clusterip", "fixed2", "-n", "ports", "--clusterip=10.43.200.200", "--tcp=80");
        assertThat(taken.err()).contains("spec.clusterIPs: Invalid value: []string{\"10.43.200.200\"}: failed to allocate IP 10.43.200.200: "
                + "provided IP is already allocated");
        Kubectl.Result outside = kubectl.run("create", "service", "clusterip", "far", "-n", "ports", "--clusterip=10.99.0.1", "--tcp=80");
        assertThat(outside.err()).contains("the provided IP (10.99.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16");

        kubectl.run("delete", "svc", "np1", "fixed", "-n", "ports").ok();
        kubectl.run("create", "service", "nodeport", "np2", "-n", "ports", "--tcp=80:8080", "--node-port=30080").ok();
        kubectl.run("create", "service", "clusterip", "fixed2", "-n", "ports", "--clusterip=10.43.200.200", "--tcp=80").ok();

        // ClusterIP -> NodePort adds a node port, NodePort -> ClusterIP gives it back.
        kubectl.run("create", "service", "clusterip", "flip", "-n", "ports", "--tcp=80").ok();
        kubectl.run("patch", "svc", "flip", "-n", "ports", "-p", "{\"spec\":{\"type\":\"NodePort\"}}").ok();
        int nodePort = json("get", "svc", "flip", "-n", "ports", "-o", "json").at("/spec/ports/0/nodePort").asInt();
        assertThat(nodePort).isBetween(30000, 32767);
        kubectl.run("patch", "svc", "flip", "-n", "ports", "-p", "{\"spec\":{\"type\":\"ClusterIP\"}}").ok();
        assertThat(json("get", "svc", "flip", "-n", "ports", "-o", "json").at("/spec/ports/0").has("nodePort")).isFalse();
        kubectl.run("create", "service", "nodeport", "reuse", "-n", "ports", "--tcp=80", "--node-port=" + nodePort).ok();
    }

    @Test
    void headlessAndExternalNameServicesGetNoClusterIp() throws Exception {
        kubectl.run("create", "namespace", "kinds").ok();
        kubectl.run("create", "deployment", "db", "-n", "kinds", "--image=postgres", "--replicas=2", "--port=5432").ok();
        kubectl.run("create", "service", "clusterip", "db", "-n", "kinds", "--clusterip=None", "--tcp=5432").ok();
        kubectl.run("create", "service", "externalname", "ext", "-n", "kinds", "--external-name=example.com").ok();

        String table = kubectl.run("get", "svc", "-n", "kinds").ok().out();
        assertThat(table).containsPattern("db +ClusterIP +None +<none> +5432/TCP");
        assertThat(table).containsPattern("ext +ExternalName +<none> +example\\.com +<none>");
        await().atMost(WAIT).untilAsserted(() -> assertThat(readyAddresses("kinds", "db")).isEqualTo(podIps("kinds", "app=db")).hasSize(2));
        JsonNode slice = json("get", "endpointslices", "-n", "kinds", "-l", "kubernetes.io/service-name=db", "-o", "json").at("/items/0");
        assertThat(slice.at("/metadata/labels").has("service.kubernetes.io/headless")).isTrue();
        assertThat(kubectl.run("get", "endpointslices", "-n", "kinds", "-l", "kubernetes.io/service-name=ext").ok().err())
                .contains("No resources found");
    }

    @Test
    void loadBalancerServicesAnswerOnTheReadyNodes() throws Exception {
        kubectl.run("create", "namespace", "lb").ok();
        kubectl.run("create", "service", "loadbalancer", "front", "-n", "lb", "--tcp=80:8080").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "svc", "front", "-n", "lb").ok().out())
                .containsPattern("front +LoadBalancer +10\\.43\\.\\S+ +198\\.18\\.0\\.1,198\\.18\\.0\\.2 +80:3\\d{4}/TCP"));
        kubectl.run("patch", "svc", "front", "-n", "lb", "-p", "{\"spec\":{\"type\":\"ClusterIP\"}}").ok();
        JsonNode svc = json("get", "svc", "front", "-n", "lb", "-o", "json");
        assertThat(svc.at("/status/loadBalancer").has("ingress")).isFalse();
        assertThat(svc.at("/spec/ports/0").has("nodePort")).isFalse();
    }

    @Test
    void namedTargetPortsResolvePerPod() throws Exception {
        kubectl.run("create", "namespace", "named").ok();
        kubectl.runWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: named}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers: [{name: api, image: api:1, ports: [{name: http, containerPort: 8080}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: named}
                spec:
                  selector: {app: api}
                  ports: [{name: web, port: 80, targetPort: http}]
                """, "apply", "-f", "-").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "endpoints", "api", "-n", "named").ok().out())
                .containsPattern("api +\\d+\\.\\S+:8080"));
        JsonNode slice = json("get", "endpointslices", "-n", "named", "-l", "kubernetes.io/service-name=api", "-o", "json").at("/items/0");
        assertThat(slice.at("/ports/0/name").asText()).isEqualTo("web");
        assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(8080);
    }

    @Test
    void theKubernetesServicePointsAtTheApiServerAndComesBack() throws Exception {
        JsonNode svc = json("get", "svc", "kubernetes", "-n", "default", "-o", "json");
        assertThat(svc.at("/spec/clusterIP").asText()).isEqualTo("10.43.0.1");
        assertThat(svc.at("/spec/ports/0/name").asText()).isEqualTo("https");
        assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(443);
        assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(server.port());
        JsonNode ep = json("get", "endpoints", "kubernetes", "-n", "default", "-o", "json");
        assertThat(ep.at("/subsets/0/addresses")).hasSize(1);
        assertThat(ep.at("/subsets/0/ports/0/port").asInt()).isEqualTo(server.port());
        JsonNode slice = json("get", "endpointslice", "kubernetes", "-n", "default", "-o", "json");
        assertThat(slice.at("/endpoints/0/addresses/0").asText()).isEqualTo(ep.at("/subsets/0/addresses/0/ip").asText());

        kubectl.run("delete", "svc", "kubernetes", "-n", "default").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "svc", "kubernetes", "-n", "default", "-o", "json").ok().out()).contains("\"10.43.0.1\""));
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }

    private static TreeSet<String> ips(JsonNode addresses) {
        TreeSet<String> ips = new TreeSet<>();
        addresses.forEach(a -> ips.add(a.path("ip").asText()));
        return ips;
    }

    private static TreeSet<String> readyAddresses(String ns, String name) throws Exception {
        TreeSet<String> ips = new TreeSet<>();
        for (JsonNode subset : json("get", "endpoints", name, "-n", ns, "-o", "json").path("subsets")) {
            ips.addAll(ips(subset.path("addresses")));
        }
        return ips;
    }

    /** Addresses of the Service's slices whose ready condition is as given. */
    private static TreeSet<String> sliceAddresses(String ns, String name, boolean ready) throws Exception {
        TreeSet<String> ips = new TreeSet<>();
        for (JsonNode slice : json("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=" + name, "-o", "json").path("items")) {
            for (JsonNode e : slice.path("endpoints")) {
                if (e.at("/conditions/ready").asBoolean() == ready) {
                    e.path("addresses").forEach(a -> ips.add(a.asText()));
                }
            }
        }
        return ips;
    }

    private static TreeSet<String> podIps(String ns, String selector) throws Exception {
        TreeSet<String> ips = new TreeSet<>();
        List<JsonNode> pods = new ArrayList<>();
        json("get", "pods", "-n", ns, "-l", selector, "-o", "json").path("items").forEach(pods::add);
        for (JsonNode pod : pods) {
            if (!pod.at("/metadata").has("deletionTimestamp") && !pod.at("/status/podIP").asText("").isEmpty()) {
                ips.add(pod.at("/status/podIP").asText());
            }
        }
        return ips;
    }
}
