package io.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The cluster DNS `capstan server` runs: Service kube-dns with its EndpointSlice, and the records of services created
 * with the real kubectl (ClusterIP, headless with a hostname/subdomain pod, ExternalName), asked from this test at
 * the address and port the kube-dns EndpointSlice names.
 */
class ClusterDnsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NS = "dns-e2e";

    @TempDir
    static Path dir;
    static CapstanServer server;
    static Kubectl kubectl;
    static InetSocketAddress dns;

    @BeforeAll
    static void startServer() throws Exception {
        server = CapstanServer.start(dir.resolve("data"), "--simulated-nodes", "1");
        kubectl = new Kubectl(server.kubeconfig(), dir.resolve("cache"));
        await().atMost(WAIT).until(() -> kubectl.run("get", "endpointslice", "kube-dns-capstan", "-n", "kube-system").exit() == 0);
        JsonNode slice = json("get", "endpointslice", "kube-dns-capstan", "-n", "kube-system", "-o", "json");
        dns = new InetSocketAddress(InetAddress.ofLiteral(slice.at("/endpoints/0/addresses/0").asText()), slice.at("/ports/0/port").asInt());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void kubeDnsServiceAndItsEndpointsPointAtTheServersDns() throws Exception {
        JsonNode service = json("get", "service", "kube-dns", "-n", "kube-system", "-o", "json");
        JsonNode slice = json("get", "endpointslices", "-n", "kube-system", "-l", "kubernetes.io/service-name=kube-dns", "-o", "json");
        JsonNode endpoints = json("get", "endpoints", "kube-dns", "-n", "kube-system", "-o", "json");

        assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("10.43.0.10");
        assertThat(service.at("/metadata/labels/k8s-app").asText()).isEqualTo("kube-dns");
        assertThat(service.at("/spec/ports")).extracting(p -> p.path("name").asText() + " " + p.path("port").asInt() + "/" + p.path("protocol").asText())
                .containsExactly("dns 53/UDP", "dns-tcp 53/TCP");
        assertThat(slice.at("/items")).hasSize(1);
        assertThat(slice.at("/items/0/endpoints/0/conditions/ready").asBoolean()).isTrue();
        assertThat(slice.at("/items/0/ports")).extracting(p -> p.path("name").asText() + " " + p.path("port").asInt() + "/" + p.path("protocol").asText())
                .containsExactlyInAnyOrder("dns " + dns.getPort() + "/UDP", "dns-tcp " + dns.getPort() + "/TCP");
        assertThat(endpoints.at("/subsets/0/addresses/0/ip").asText()).isEqualTo(dns.getAddress().getHostAddress());
        // The server names its own Service too.
        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("kube-dns.kube-system.svc.cluster.local", Type.A, false))
                .containsExactly("10.43.0.10"));
    }

    @Test
    void servicesPodsAndExternalNamesResolve() throws Exception {
        kubectl.run("create", "namespace", NS).ok();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: dns-e2e}
                spec:
                  clusterIP: 10.43.77.7
                  selector: {app: web}
                  ports: [{name: http, port: 80, protocol: TCP}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: dns-e2e}
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports: [{name: pg, port: 5432, protocol: TCP}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: alias, namespace: dns-e2e}
                spec: {type: ExternalName, externalName: web.dns-e2e.svc.cluster.local}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db-0, namespace: dns-e2e, labels: {app: db}}
                spec:
                  hostname: db-0
                  subdomain: db
                  containers: [{name: c, image: busybox}]
                """, "apply", "-f", "-").ok();
        await().atMost(WAIT).until(() -> !json("get", "pod", "db-0", "-n", NS, "-o", "json").at("/status/podIP").asText().isEmpty());
        String podIp = json("get", "pod", "db-0", "-n", NS, "-o", "json").at("/status/podIP").asText();
        // The headless service's endpoints, as the EndpointSlice controller writes them (without the hostname, which
        // the DNS then takes from the pod's hostname and subdomain).
        kubectl.runWithInput("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: db-manual
                  namespace: dns-e2e
                  labels: {kubernetes.io/service-name: db}
                addressType: IPv4
                endpoints:
                - addresses: [%s]
                  conditions: {ready: true}
                  targetRef: {kind: Pod, namespace: dns-e2e, name: db-0}
                ports: [{name: pg, port: 5432, protocol: TCP}]
                """.formatted(podIp), "apply", "-f", "-").ok();

        await().atMost(WAIT).untilAsserted(() -> assertThat(answers("db-0.db.dns-e2e.svc.cluster.local", Type.A, false)).containsExactly(podIp));
        for (boolean tcp : List.of(false, true)) {
            assertThat(answers("web.dns-e2e.svc.cluster.local", Type.A, tcp)).containsExactly("10.43.77.7");
        }
        assertThat(answers("_http._tcp.web.dns-e2e.svc.cluster.local", Type.SRV, false)).containsExactly("0 100 80 web.dns-e2e.svc.cluster.local.");
        assertThat(answers("db.dns-e2e.svc.cluster.local", Type.A, false)).containsExactly(podIp);
        assertThat(answers("_pg._tcp.db.dns-e2e.svc.cluster.local", Type.SRV, false)).containsExactly("0 100 5432 db-0.db.dns-e2e.svc.cluster.local.");
        assertThat(answers("alias.dns-e2e.svc.cluster.local", Type.A, false)).containsExactly("web.dns-e2e.svc.cluster.local.", "10.43.77.7");
        assertThat(answers(podIp.replace('.', '-') + ".dns-e2e.pod.cluster.local", Type.A, false)).containsExactly(podIp);
        assertThat(answers(ReverseMap.fromAddress("10.43.77.7").toString(), Type.PTR, false)).containsExactly("web.dns-e2e.svc.cluster.local.");
        assertThat(answers(ReverseMap.fromAddress(podIp).toString(), Type.PTR, false)).containsExactly("db-0.db.dns-e2e.svc.cluster.local.");
        Message nodata = ask("web.dns-e2e.svc.cluster.local", Type.AAAA, false);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        assertThat(ask("nope.dns-e2e.svc.cluster.local", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        kubectl.run("delete", "service", "web", "-n", NS).ok();

        await().atMost(WAIT).untilAsserted(() -> assertThat(ask("web.dns-e2e.svc.cluster.local", Type.A, false).getRcode())
                .isEqualTo(Rcode.NXDOMAIN));
    }

    private static Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN)));
    }

    private static List<String> answers(String name, int type, boolean tcp) throws Exception {
        return ask(name, type, tcp).getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    private static JsonNode json(String... args) throws Exception {
        return JSON.readTree(kubectl.run(args).ok().out());
    }
}
