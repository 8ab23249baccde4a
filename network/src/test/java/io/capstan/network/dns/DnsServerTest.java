package io.capstan.network.dns;

import static io.capstan.network.dns.Objects.endpoint;
import static io.capstan.network.dns.Objects.externalName;
import static io.capstan.network.dns.Objects.service;
import static io.capstan.network.dns.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class DnsServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DnsServer upstream;
    private DnsServer server;

    @BeforeEach
    void start() throws Exception {
        // The "host's resolver": an authoritative server for example.test.
        DnsZone outside = DnsZone.builder("example.test", 60)
                .add(new ARecord(DnsZone.absolute("www.example.test"), DClass.IN, 60, InetAddress.ofLiteral("192.0.2.1")))
                .build(1);
        upstream = DnsServer.start(LOOPBACK, 0, false, new DnsHandler(() -> outside, new Forwarder(List.of(), Duration.ofSeconds(1)),
                new DnsMetrics()));
        ObjectNode big = slice("default", "big", "big-1");
        for (int i = 1; i <= 100; i++) {
            endpoint(big, "10.42.0." + i, true, null, null);
        }
        DnsZone cluster = ClusterRecords.build("cluster.local", 5, List.of(service("default", "web", "10.43.0.20"),
                service("default", "big", "None"), externalName("default", "ext", "www.example.test")), List.of(big), List.of(), 1);
        server = DnsServer.start(LOOPBACK, 0, false, new DnsHandler(() -> cluster,
                new Forwarder(List.of(upstream.address()), Duration.ofSeconds(1)), new DnsMetrics()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private Message ask(DnsServer target, String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(target.address());
        resolver.setTCP(tcp);
        resolver.setIgnoreTruncation(true);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    @Test
    void answersClusterNamesOverUdpAndTcp() throws Exception {
        for (boolean tcp : List.of(false, true)) {
            Message response = ask(server, "web.default.svc.cluster.local", Type.A, tcp);

            assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(answers(response)).containsExactly("10.43.0.20");
        }
    }

    @Test
    void negativeAnswersCarryTheSoa() throws Exception {
        Message nx = ask(server, "nope.default.svc.cluster.local", Type.A, false);
        Message nodata = ask(server, "web.default.svc.cluster.local", Type.AAAA, false);

        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void forwardsOtherNamesToTheUpstreamOverUdpAndTcp() throws Exception {
        for (boolean tcp : List.of(false, true)) {
            assertThat(answers(ask(server, "www.example.test", Type.A, tcp))).containsExactly("192.0.2.1");
        }
        assertThat(ask(server, "nope.example.test", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void externalNameIsAnsweredWithItsTargetsAddressFromUpstream() throws Exception {
        assertThat(answers(ask(server, "ext.default.svc.cluster.local", Type.A, false)))
                .containsExactly("www.example.test.", "192.0.2.1");
    }

    @Test
    void withoutUpstreamOtherNamesFailButClusterNamesAnswer() throws Exception {
        // The upstream itself has no upstream.
        assertThat(ask(upstream, "example.org", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(answers(ask(upstream, "www.example.test", Type.A, false))).containsExactly("192.0.2.1");
    }

    @Test
    void beforeTheFirstZoneQueriesFailRatherThanDeny() throws Exception {
        try (DnsServer unsynced = DnsServer.start(LOOPBACK, 0, false, new DnsHandler(() -> null,
                new Forwarder(List.of(), Duration.ofSeconds(1)), new DnsMetrics()))) {
            assertThat(ask(unsynced, "web.default.svc.cluster.local", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        }
    }

    @Test
    void bigAnswersAreTruncatedOverUdpAndWholeOverTcp() throws Exception {
        Message udp = ask(server, "big.default.svc.cluster.local", Type.A, false);
        Message tcp = ask(server, "big.default.svc.cluster.local", Type.A, true);

        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.getSection(Section.ANSWER).size()).isLessThan(100);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void aTakenPortFallsBackToAFreeOneOnlyWhenAllowed() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK); DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
            int taken = tcp.getLocalPort();
            DnsHandler handler = new DnsHandler(() -> null, new Forwarder(List.of(), Duration.ofSeconds(1)), new DnsMetrics());

            assertThatThrownBy(() -> DnsServer.start(LOOPBACK, taken, false, handler)).isInstanceOf(BindException.class);
            try (DnsServer fallback = DnsServer.start(LOOPBACK, taken, true, handler)) {
                assertThat(fallback.address().getPort()).isNotEqualTo(taken).isPositive();
            }
        }
    }
}
