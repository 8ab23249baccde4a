package io.capstan.network.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeftoversTest {

    @Test
    void onlyChainsReachableFromTheRootsAreLeftovers() {
        String listing = """
                -P PREROUTING ACCEPT
                -N CAPSTAN-SERVICES-a1
                -N CAPSTAN-SVC-AAAA
                -N CAPSTAN-SEP-BBBB
                -N CAPSTAN-SERVICES-b2
                -N CAPSTAN-SVC-OTHER
                -N CAPSTAN-NP-POLICY
                -A PREROUTING -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES-a1
                -A CAPSTAN-SERVICES-a1 -d 10.43.0.5/32 -p tcp -m tcp --dport 80 -j CAPSTAN-SVC-AAAA
                -A CAPSTAN-SVC-AAAA -m statistic --mode random --probability 0.5 -j CAPSTAN-SEP-BBBB
                -A CAPSTAN-SVC-AAAA -j CAPSTAN-SVC-AAAA
                -A CAPSTAN-SERVICES-b2 -j CAPSTAN-SVC-OTHER
                """;
        assertThat(Leftovers.reachable(listing, List.of("CAPSTAN-SERVICES-a1", "CAPSTAN-NODEPORTS-a1")))
                .containsExactly("CAPSTAN-SERVICES-a1", "CAPSTAN-SVC-AAAA", "CAPSTAN-SEP-BBBB");
    }
}
