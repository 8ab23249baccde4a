package io.capstan.network.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    @Test
    void parsingNormalizesHostBitsAndABareAddressIsOneHost() {
        assertThat(cidr("10.1.2.3/8")).hasToString("10.0.0.0/8");
        assertThat(cidr("10.1.2.3")).hasToString("10.1.2.3/32");
        assertThat(Cidr.parse("example.com")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    }

    @Test
    void containsComparesPrefixes() {
        assertThat(cidr("10.0.0.0/8").contains(cidr("10.42.0.7/32"))).isTrue();
        assertThat(cidr("10.0.0.0/8").contains(cidr("11.0.0.1/32"))).isFalse();
        assertThat(cidr("10.42.0.0/24").contains(cidr("10.0.0.0/8"))).isFalse();
    }

    @Test
    void minusSplitsAroundEveryHole() {
        assertThat(cidr("10.0.0.0/30").minus(List.of(cidr("10.0.0.1/32")))).extracting(Cidr::toString)
                .containsExactly("10.0.0.0/32", "10.0.0.2/31");
        assertThat(cidr("10.0.0.0/24").minus(List.of(cidr("10.0.0.0/25"), cidr("10.0.0.128/26")))).extracting(Cidr::toString)
                .containsExactly("10.0.0.192/26");
        assertThat(cidr("10.0.0.0/24").minus(List.of(cidr("10.0.0.0/8")))).isEmpty();
        assertThat(cidr("10.0.0.0/24").minus(List.of(cidr("192.168.0.0/16")))).extracting(Cidr::toString).containsExactly("10.0.0.0/24");
    }

    @Test
    void ipv6BlocksWorkToo() {
        assertThat(cidr("fd00::/64").minus(List.of(cidr("fd00::/65")))).hasSize(1);
        assertThat(cidr("fd00::/64").isIpv4()).isFalse();
    }
}
