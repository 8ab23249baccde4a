package io.capstan.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostResolversTest {

    private static final String RESOLV_CONF = """
            # comment
            search example.com
            nameserver 127.0.0.1
            nameserver 10.0.0.2
            nameserver 192.168.1.10
            options ndots:2
            """;

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    @Test
    void everyNameserverIsUsedWhenNoneCanBeThisServer() {
        assertThat(HostResolvers.parse(RESOLV_CONF, at("192.168.1.10", 5353)))
                .containsExactly(at("127.0.0.1", 53), at("10.0.0.2", 53), at("192.168.1.10", 53));
    }

    @Test
    void thisServersOwnAddressIsSkipped() {
        assertThat(HostResolvers.parse(RESOLV_CONF, at("192.168.1.10", 53))).containsExactly(at("127.0.0.1", 53), at("10.0.0.2", 53));
    }

    @Test
    void loopbackNameserversAreSkippedWhenThisServerListensOnEveryAddress() {
        assertThat(HostResolvers.parse(RESOLV_CONF, at("0.0.0.0", 53))).containsExactly(at("10.0.0.2", 53), at("192.168.1.10", 53));
        assertThat(HostResolvers.parse("nameserver 127.0.0.53\n", at("127.0.0.1", 53))).isEmpty();
    }
}
