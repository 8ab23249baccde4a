package io.capstan.network.dns;

import static io.capstan.network.dns.Objects.endpoint;
import static io.capstan.network.dns.Objects.externalName;
import static io.capstan.network.dns.Objects.pod;
import static io.capstan.network.dns.Objects.service;
import static io.capstan.network.dns.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

class DnsResolverTest {

    private static DnsZone zone(List<ObjectNode> services, List<ObjectNode> slices, List<ObjectNode> pods) {
        return ClusterRecords.build("cluster.local", 5, services, slices, pods, 42);
    }

    private static Answer ask(DnsZone zone, String name, int type) {
        return DnsResolver.resolve(zone, DnsZone.absolute(name), type);
    }

    private static List<String> data(Answer answer) {
        return answer.answers().stream().map(Record::rdataToString).toList();
    }

    @Test
    void clusterIpServiceHasAnARecordWithFiveSecondTtl() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        Answer answer = ask(zone, "web.default.svc.cluster.local", Type.A);

        assertThat(answer.forward()).isFalse();
        assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(data(answer)).containsExactly("10.43.0.20");
        assertThat(answer.answers().getFirst().getTTL()).isEqualTo(5);
    }

    @Test
    void namesAreMatchedWithoutRegardToCase() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        assertThat(data(ask(zone, "WEB.Default.svc.CLUSTER.local", Type.A))).containsExactly("10.43.0.20");
    }

    @Test
    void aaaaOfAnIpv4OnlyServiceIsNodataWithTheSoa() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        Answer answer = ask(zone, "web.default.svc.cluster.local", Type.AAAA);

        assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.answers()).isEmpty();
        assertThat(answer.authority()).singleElement().isInstanceOf(SOARecord.class);
        assertThat(((SOARecord) answer.authority().getFirst()).getMinimum()).isEqualTo(5);
    }

    @Test
    void unknownServiceIsNxdomainWithTheSoa() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        Answer answer = ask(zone, "nope.default.svc.cluster.local", Type.A);

        assertThat(answer.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answer.authority()).singleElement().isInstanceOf(SOARecord.class);
        assertThat(ask(zone, "web.other.svc.cluster.local", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void namesAboveAServiceExistWithoutRecords() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        for (String name : List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local")) {
            Answer answer = ask(zone, name, Type.A);
            assertThat(answer.rcode()).as(name).isEqualTo(Rcode.NOERROR);
            assertThat(answer.answers()).as(name).isEmpty();
        }
    }

    @Test
    void theZoneApexAnswersItsSoa() {
        DnsZone zone = zone(List.of(), List.of(), List.of());

        assertThat(ask(zone, "cluster.local", Type.SOA).answers()).singleElement().isInstanceOf(SOARecord.class);
        assertThat(data(ask(zone, "cluster.local", Type.NS))).containsExactly("ns.dns.cluster.local.");
    }

    @Test
    void headlessServiceReturnsEveryReadyEndpoint() {
        ObjectNode slice = slice("default", "db", "db-abc");
        endpoint(slice, "10.42.0.5", true, null, null);
        endpoint(slice, "10.42.0.6", true, null, null);
        endpoint(slice, "10.42.0.7", false, null, null);
        ObjectNode second = endpoint(slice("default", "db", "db-def"), "10.42.1.5", true, null, null);
        DnsZone zone = zone(List.of(service("default", "db", "None")), List.of(slice, second), List.of());

        assertThat(data(ask(zone, "db.default.svc.cluster.local", Type.A)))
                .containsExactlyInAnyOrder("10.42.0.5", "10.42.0.6", "10.42.1.5");
        assertThat(data(ask(zone, "10-42-0-5.db.default.svc.cluster.local", Type.A))).containsExactly("10.42.0.5");
    }

    @Test
    void headlessServiceWithPublishNotReadyAddressesReturnsUnreadyEndpointsToo() {
        ObjectNode service = service("default", "db", "None");
        service.withObject("spec").put("publishNotReadyAddresses", true);
        ObjectNode slice = endpoint(slice("default", "db", "db-abc"), "10.42.0.7", false, null, null);

        assertThat(data(ask(zone(List.of(service), List.of(slice), List.of()), "db.default.svc.cluster.local", Type.A)))
                .containsExactly("10.42.0.7");
    }

    @Test
    void headlessServiceWithoutEndpointsIsNodata() {
        DnsZone zone = zone(List.of(service("default", "db", "None")), List.of(), List.of());

        Answer answer = ask(zone, "db.default.svc.cluster.local", Type.A);

        assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.answers()).isEmpty();
    }

    @Test
    void endpointWithHostnameHasItsOwnNameAndPtr() {
        ObjectNode slice = endpoint(slice("default", "db", "db-abc"), "10.42.0.5", true, "db-0", "db-0");
        DnsZone zone = zone(List.of(service("default", "db", "None")), List.of(slice), List.of());

        assertThat(data(ask(zone, "db-0.db.default.svc.cluster.local", Type.A))).containsExactly("10.42.0.5");
        assertThat(data(ask(zone, reverse("10.42.0.5"), Type.PTR)))
                .containsExactly("db-0.db.default.svc.cluster.local.");
        assertThat(ask(zone, "db-1.db.default.svc.cluster.local", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void podWithHostnameAndSubdomainNamesItsEndpointWhenTheSliceLeavesItOut() {
        ObjectNode pod = pod("default", "web-x", "10.42.0.9");
        pod.withObject("spec").put("hostname", "busy").put("subdomain", "db");
        ObjectNode other = pod("default", "web-y", "10.42.0.10");
        other.withObject("spec").put("hostname", "lazy").put("subdomain", "elsewhere");
        ObjectNode slice = slice("default", "db", "db-abc");
        endpoint(slice, "10.42.0.9", true, null, "web-x");
        endpoint(slice, "10.42.0.10", true, null, "web-y");
        DnsZone zone = zone(List.of(service("default", "db", "None")), List.of(slice), List.of(pod, other));

        assertThat(data(ask(zone, "busy.db.default.svc.cluster.local", Type.A))).containsExactly("10.42.0.9");
        assertThat(ask(zone, "lazy.db.default.svc.cluster.local", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(data(ask(zone, "10-42-0-10.db.default.svc.cluster.local", Type.A))).containsExactly("10.42.0.10");
    }

    @Test
    void namedPortsOfAClusterIpServiceHaveSrvRecords() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20", "http:80/TCP", "dns:53/UDP")), List.of(), List.of());

        Answer http = ask(zone, "_http._tcp.web.default.svc.cluster.local", Type.SRV);

        assertThat(data(http)).containsExactly("0 100 80 web.default.svc.cluster.local.");
        assertThat(http.additional()).extracting(Record::rdataToString).containsExactly("10.43.0.20");
        assertThat(data(ask(zone, "_dns._udp.web.default.svc.cluster.local", Type.SRV)))
                .containsExactly("0 100 53 web.default.svc.cluster.local.");
        assertThat(ask(zone, "_dns._tcp.web.default.svc.cluster.local", Type.SRV).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(zone, "_tcp.web.default.svc.cluster.local", Type.SRV).rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void headlessServiceHasOneSrvRecordPerEndpoint() {
        ObjectNode slice = slice("default", "db", "db-abc", "pg:5432/TCP");
        endpoint(slice, "10.42.0.5", true, "db-0", null);
        endpoint(slice, "10.42.0.6", true, "db-1", null);
        DnsZone zone = zone(List.of(service("default", "db", "None", "pg:5432/TCP")), List.of(slice), List.of());

        Answer answer = ask(zone, "_pg._tcp.db.default.svc.cluster.local", Type.SRV);

        assertThat(answer.answers()).extracting(r -> ((SRVRecord) r).getTarget().toString())
                .containsExactlyInAnyOrder("db-0.db.default.svc.cluster.local.", "db-1.db.default.svc.cluster.local.");
        assertThat(answer.answers()).extracting(r -> ((SRVRecord) r).getWeight()).containsOnly(50);
        assertThat(answer.additional()).extracting(Record::rdataToString).containsExactlyInAnyOrder("10.42.0.5", "10.42.0.6");
    }

    @Test
    void externalNameIsACnameToAnOutsideTarget() {
        DnsZone zone = zone(List.of(externalName("default", "ext", "example.org")), List.of(), List.of());

        Answer answer = ask(zone, "ext.default.svc.cluster.local", Type.A);

        assertThat(data(answer)).containsExactly("example.org.");
        assertThat(answer.external()).isEqualTo(DnsZone.absolute("example.org"));
        assertThat(data(ask(zone, "ext.default.svc.cluster.local", Type.CNAME))).containsExactly("example.org.");
    }

    @Test
    void externalNameInsideTheClusterIsFollowed() {
        DnsZone zone = zone(List.of(externalName("default", "alias", "web.default.svc.cluster.local"),
                service("default", "web", "10.43.0.20")), List.of(), List.of());

        Answer answer = ask(zone, "alias.default.svc.cluster.local", Type.A);

        assertThat(data(answer)).containsExactly("web.default.svc.cluster.local.", "10.43.0.20");
        assertThat(answer.external()).isNull();
    }

    @Test
    void podRecordsExistOnlyForAddressesPodsHave() {
        ObjectNode finished = pod("default", "done", "10.42.0.8");
        finished.withObject("status").put("phase", "Succeeded");
        DnsZone zone = zone(List.of(), List.of(), List.of(pod("default", "web", "10.42.0.5"), finished));

        assertThat(data(ask(zone, "10-42-0-5.default.pod.cluster.local", Type.A))).containsExactly("10.42.0.5");
        assertThat(ask(zone, "10-42-0-5.other.pod.cluster.local", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(zone, "10-42-0-6.default.pod.cluster.local", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(zone, "10-42-0-8.default.pod.cluster.local", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void serviceAddressesHavePtrRecordsAndOtherReverseNamesAreForwarded() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        assertThat(data(ask(zone, reverse("10.43.0.20"), Type.PTR))).containsExactly("web.default.svc.cluster.local.");
        assertThat(ask(zone, reverse("10.43.0.21"), Type.PTR).forward()).isTrue();
    }

    @Test
    void namesOutsideTheClusterDomainAreForwarded() {
        DnsZone zone = zone(List.of(service("default", "web", "10.43.0.20")), List.of(), List.of());

        assertThat(ask(zone, "example.org", Type.A).forward()).isTrue();
        assertThat(ask(zone, "web.default.svc.cluster.local.example.org", Type.A).forward()).isTrue();
    }

    private static String reverse(String ip) {
        return ReverseMap.fromAddress(java.net.InetAddress.ofLiteral(ip)).toString();
    }
}
