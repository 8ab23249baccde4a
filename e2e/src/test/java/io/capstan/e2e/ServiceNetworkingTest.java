package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service path with real containers and nothing made by hand: a Deployment exposed with `kubectl expose`,
 * its EndpointSlice from the controller, its name resolved by the cluster DNS through kube-dns's service IP, and
 * connections through the service proxy spreading over every ready replica; a replica that turns unready leaves; a
 * LoadBalancer Service answers from the host at the address its status names.
 */
class ServiceNetworkingTest {

    @TempDir
    static Path dir;
    static AgentCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        cluster.namespace("net");
        // Each replica serves its own name; it is ready while /tmp/ready exists.
        cluster.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: net}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: httpd
                        image: IMAGE
                        command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www"]
                        readinessProbe:
                          exec: {command: [test, -e, /tmp/ready]}
                          periodSeconds: 1
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: net}
                spec:
                  containers:
                  - name: c
                    image: IMAGE
                    command: [sleep, "3600"]
                """);
        cluster.kubectl.run("expose", "deployment", "web", "-n", "net", "--port=80", "--target-port=8080").ok();
        await().atMost(Duration.ofSeconds(120)).until(() -> readyAddresses() == 3
                && cluster.pod("net", "client").at("/status/phase").asText().equals("Running"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int readyAddresses() throws Exception {
        String ready = cluster.kubectl.run("get", "endpointslices", "-n", "net", "-l", "kubernetes.io/service-name=web", "-o",
                "jsonpath={.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}").out().trim();
        return ready.isEmpty() ? 0 : ready.split("\\s+").length;
    }

    /** The replicas that answered 30 fetches of the service's DNS name from the client pod. */
    private static Set<String> answeringReplicas() throws Exception {
        String out = cluster.kubectl.run("exec", "client", "-n", "net", "--", "sh", "-c",
                "for i in $(seq 30); do timeout 5 wget -O - http://web.net.svc.cluster.local/ 2>/dev/null; done").out();
        return Arrays.stream(out.split("\\s+")).filter(s -> s.startsWith("web-")).collect(Collectors.toSet());
    }

    @Test
    void aPodReachesEveryReplicaByTheServiceNameThroughClusterDnsAndTheProxy() throws Exception {
        String lookup = cluster.kubectl.run("exec", "client", "-n", "net", "--", "nslookup", "web.net.svc.cluster.local").out();
        String clusterIp = cluster.kubectl.run("get", "svc", "web", "-n", "net", "-o", "jsonpath={.spec.clusterIP}").ok().out().trim();
        assertThat(lookup).as("nslookup through 10.43.0.10").contains("Address: " + clusterIp);
        await().atMost(Duration.ofSeconds(60)).until(() -> answeringReplicas().size() == 3);
    }

    @Test
    void aLoadBalancerServiceAnswersFromTheHostAtTheAddressInItsStatus() throws Exception {
        int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20000, 29000);
        cluster.kubectl.run("expose", "deployment", "web", "-n", "net", "--name=web-lb", "--type=LoadBalancer",
                "--port=" + port, "--target-port=8080").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> !loadBalancerIp().isEmpty());
        String url = "http://" + loadBalancerIp() + ":" + port + "/";
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        Set<String> replicas = new java.util.HashSet<>();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            replicas.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body().strip());
            return replicas.size() == 3;
        });
        assertThat(replicas).allMatch(r -> r.startsWith("web-"));
        cluster.kubectl.run("delete", "svc", "web-lb", "-n", "net").ok();
    }

    private static String loadBalancerIp() throws Exception {
        return cluster.kubectl.run("get", "svc", "web-lb", "-n", "net", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}")
                .ok().out().trim();
    }

    @Test
    void aPodReachesTheApiServiceAndItsMountedTokenWorksUntilThePodIsDeleted() throws Exception {
        cluster.kubectl.run("create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=net:default", "-n", "net").ok();
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: caller, namespace: net}
                spec:
                  containers:
                  - name: c
                    image: IMAGE
                    command: [sleep, "3600"]
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.pod("net", "caller").at("/status/phase").asText().equals("Running"));
        // The API's service name resolves and its port answers from inside the pod. (An HTTPS call from busybox's wget
        // inside a pod is reset during the TLS handshake while the same call from another network namespace works: an
        // open bug, see the issue note; so the token read inside the pod is presented from here.)
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.kubectl.run("exec", "caller", "-n", "net", "--", "sh", "-c",
                "timeout 5 nc -w 3 kubernetes.default.svc 443 </dev/null").exit() == 0);
        String token = cluster.kubectl.run("exec", "caller", "-n", "net", "--", "cat",
                "/var/run/secrets/kubernetes.io/serviceaccount/token").ok().out().trim();
        assertThat(cluster.kubectl.run("--token=" + token, "auth", "whoami").ok().out()).contains("system:serviceaccount:net:default");
        assertThat(cluster.kubectl.run("--token=" + token, "get", "pods", "-n", "net", "-o", "name").ok().out()).contains("pod/caller");
        cluster.kubectl.run("delete", "pod", "caller", "-n", "net", "--grace-period=1", "--wait=true").ok();
        Kubectl.Result after = cluster.kubectl.run("--token=" + token, "auth", "whoami");
        assertThat(after.exit()).isNotZero();
        assertThat(after.err()).contains("Unauthorized");
    }

    @Test
    void aReplicaThatIsNotReadyGetsNoMoreConnections() throws Exception {
        String pod = cluster.kubectl.run("get", "pods", "-n", "net", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}")
                .ok().out().trim();
        cluster.kubectl.run("exec", pod, "-n", "net", "--", "rm", "/tmp/ready").ok();
        await().atMost(Duration.ofSeconds(60)).until(() -> readyAddresses() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Set<String> replicas = answeringReplicas();
            return replicas.size() == 2 && !replicas.contains(pod);
        });
        cluster.kubectl.run("exec", pod, "-n", "net", "--", "touch", "/tmp/ready").ok();
        await().atMost(Duration.ofSeconds(60)).until(() -> readyAddresses() == 3);
    }
}
