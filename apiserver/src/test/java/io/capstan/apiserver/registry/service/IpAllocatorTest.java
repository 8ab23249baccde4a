package io.capstan.apiserver.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpAllocatorTest {

    @Test
    void randomPicksNeverTakeNetworkBroadcastOrTheKubernetesAddress() {
        IpAllocator ips = new IpAllocator(ServiceCidr.parse("10.43.0.0/28"));
        Set<String> taken = new HashSet<>();
        String ip;
        while ((ip = ips.allocateNext()) != null) {
            assertThat(taken.add(ip)).as("no address twice").isTrue();
        }
        assertThat(taken).hasSize(13).doesNotContain("10.43.0.0", "10.43.0.1", "10.43.0.15");
        assertThat(ips.allocate("10.43.0.1")).as("the first address stays free for the kubernetes Service").isNull();
    }

    @Test
    void explicitAddressesAreCheckedForRangeAndUse() {
        IpAllocator ips = new IpAllocator(ServiceCidr.parse("10.43.0.0/16"));
        assertThat(ips.allocate("10.43.7.7")).isNull();
        assertThat(ips.allocate("10.43.7.7")).isEqualTo("provided IP is already allocated");
        assertThat(ips.allocate("10.44.0.1"))
                .isEqualTo("the provided IP (10.44.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16");
        assertThat(ips.allocate("10.43.0.0")).as("network address").startsWith("the provided IP (10.43.0.0) is not in the valid range");
        assertThat(ips.allocate("10.43.255.255")).as("broadcast address").contains("not in the valid range");
        ips.release("10.43.7.7");
        assertThat(ips.allocate("10.43.7.7")).isNull();
    }

    @Test
    void randomPicksPreferTheUpperBand() {
        IpAllocator ips = new IpAllocator(ServiceCidr.parse("10.43.0.0/16"));
        for (int i = 0; i < 200; i++) {
            assertThat(ServiceCidr.parse("10.43.0.0/16").offsetOf(ips.allocateNext())).isGreaterThan(256);
        }
    }

    @Test
    void cidrHostBitsAreCleared() {
        assertThat(ServiceCidr.parse("10.43.9.9/16")).hasToString("10.43.0.0/16");
    }

    @Test
    void nodePortsComeFromTheRangeOnce() {
        PortAllocator ports = PortAllocator.parse("30000-30009");
        Set<Integer> taken = new HashSet<>();
        int port;
        while ((port = ports.allocateNext()) > 0) {
            assertThat(port).isBetween(30000, 30009);
            assertThat(taken.add(port)).isTrue();
        }
        assertThat(taken).hasSize(10);
        assertThat(ports.allocate(30001)).isEqualTo("provided port is already allocated");
        assertThat(ports.allocate(29999)).isEqualTo("provided port is not in the valid range. The range of valid ports is 30000-30009");
    }
}
