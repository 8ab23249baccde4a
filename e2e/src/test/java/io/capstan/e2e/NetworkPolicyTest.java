package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetworkPolicy on a real node: a busybox httpd pod and client pods in two namespaces, on the agent's bridge, with
 * the agent's iptables chains between them; policies applied and deleted with kubectl.
 */
class NetworkPolicyTest {

    @TempDir
    static Path dir;
    static AgentCluster cluster;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
        kubectl = cluster.kubectl;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDefaultDenyBlocksThenAnAllowLetsTheLabelledClientInWhileTheOtherStaysBlockedAndDeletingRestoresAccess() throws Exception {
        cluster.namespace("np-web");
        cluster.namespace("np-friends");
        cluster.namespace("np-others");
        kubectl.run("label", "namespace", "np-friends", "team=friends").ok();
        cluster.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: np-web, labels: {app: web}}
                spec:
                  containers:
                  - name: httpd
                    image: IMAGE
                    command: [sh, -c, "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1}
                """);
        // The same client, labelled alike, in the namespace the policy will admit and in another one.
        for (String ns : new String[] {"np-friends", "np-others"}) {
            cluster.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: " + ns + ", labels: {role: client}}\n"
                    + "spec: {terminationGracePeriodSeconds: 1, containers: [{name: c, image: IMAGE, command: [sleep, '3600']}]}\n");
        }
        for (String ns : new String[] {"np-web", "np-friends", "np-others"}) {
            kubectl.run("wait", "--for=condition=Ready", "pod", "--all", "-n", ns, "--timeout=60s").ok();
        }
        String ip = cluster.pod("np-web", "web").path("status").path("podIP").asText();
        awaitReach("np-friends", ip, true);
        awaitReach("np-others", ip, true);

        applyPolicy("default-deny", """
                podSelector: {}
                policyTypes: [Ingress]
                """);
        awaitReach("np-friends", ip, false);
        awaitReach("np-others", ip, false);

        applyPolicy("allow-friends", """
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {team: friends}}
                    podSelector: {matchLabels: {role: client}}
                  ports: [{port: http}]
                """);
        awaitReach("np-friends", ip, true);
        assertThat(reaches("np-others", ip)).isFalse();
        // The node's own probes got through all along.
        assertThat(kubectl.run("get", "pod", "web", "-n", "np-web", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").ok().out()).isEqualTo("True");

        kubectl.run("delete", "networkpolicy", "--all", "-n", "np-web").ok();
        awaitReach("np-others", ip, true);
        awaitReach("np-friends", ip, true);
    }

    /** kubectl apply of a NetworkPolicy in np-web with this spec. */
    private static void applyPolicy(String name, String spec) throws Exception {
        kubectl.runWithInput("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name
                + ", namespace: np-web}\nspec:\n" + spec.indent(2), "apply", "-f", "-").ok();
    }

    private static void awaitReach(String ns, String ip, boolean expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> reaches(ns, ip) == expected);
    }

    /** Whether the client pod of ns gets the page (busybox wget -T crashes, so timeout bounds a dropped connection). */
    private static boolean reaches(String ns, String ip) throws Exception {
        Kubectl.Result r = kubectl.run("exec", "-n", ns, "client", "--", "timeout", "2", "wget", "-qO-", "http://" + ip + ":8080/");
        return r.exit() == 0 && r.out().equals("hello\n");
    }
}
