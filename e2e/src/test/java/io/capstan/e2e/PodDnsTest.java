package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS from inside a real container: a ClusterFirst pod gets the cluster DNS in its resolv.conf, and busybox's nslookup
 * resolves a service's name at the address kube-dns's EndpointSlice names (the service IP 10.43.0.10 needs the
 * service proxy).
 */
class PodDnsTest {

    @TempDir
    static Path dir;
    static AgentCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPodResolvesAServiceNameThroughTheClusterDns() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.kubectl.run("get", "endpointslice", "kube-dns-capstan", "-n", "kube-system").exit() == 0);
        JsonNode slice = AgentCluster.JSON.readTree(cluster.kubectl.run("get", "endpointslice", "kube-dns-capstan", "-n", "kube-system",
                "-o", "json").ok().out());
        String dns = slice.at("/endpoints/0/addresses/0").asText() + ":" + slice.at("/ports/0/port").asInt();
        cluster.namespace("poddns");
        cluster.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: poddns}
                spec:
                  clusterIP: 10.43.77.9
                  ports: [{name: http, port: 80, protocol: TCP}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: lookup, namespace: poddns}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: c
                    image: IMAGE
                    command: [sh, -c, "cat /etc/resolv.conf; nslookup web.poddns.svc.cluster.local DNS"]
                """.replace("DNS", dns));

        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.pod("poddns", "lookup").at("/status/phase").asText().matches("Succeeded|Failed"));
        String logs = cluster.kubectl.run("logs", "lookup", "-n", "poddns").ok().out();

        assertThat(cluster.pod("poddns", "lookup").at("/status/phase").asText()).as(logs).isEqualTo("Succeeded");
        assertThat(logs).contains("nameserver 10.43.0.10", "search poddns.svc.cluster.local svc.cluster.local cluster.local",
                "options ndots:5");
        assertThat(logs).contains("Address: 10.43.77.9");
    }
}
