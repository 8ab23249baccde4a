package io.capstan.network.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.network.iptables.Iptables;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes the rules into a network namespace of the test's own, never the host's tables. */
class ForwardingRulesTest {

    private final String netns = "cap-fwd-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private Iptables iptables;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Iptables.find().isPresent(), "needs iptables");
        run("ip", "netns", "add", netns);
        iptables = Iptables.find().orElseThrow().inNamespace(netns);
    }

    @AfterEach
    void tearDown() throws Exception {
        run("ip", "netns", "del", netns);
    }

    @Test
    void podTrafficIsForwardedAndOnlyWhatLeavesTheClusterIsMasqueraded() {
        ForwardingRules rules = new ForwardingRules(iptables, "cpx1", "10.42.0.0/16", "10.42.3.0/24");

        rules.apply();
        rules.apply(); // again, as after an agent restart: nothing doubles

        assertThat(iptables.iptables("-t", "filter", "-S", "FORWARD"))
                .containsOnlyOnce("-j CAPSTAN-FWD-cpx1");
        assertThat(iptables.iptables("-t", "filter", "-S", "CAPSTAN-FWD-cpx1"))
                .contains("-A CAPSTAN-FWD-cpx1 -s 10.42.0.0/16", "-A CAPSTAN-FWD-cpx1 -d 10.42.0.0/16").containsOnlyOnce("-s 10.42.0.0/16");
        String nat = iptables.iptables("-t", "nat", "-S", "CAPSTAN-MSQ-cpx1");
        assertThat(nat).contains("-s 10.42.3.0/24 -d 10.42.0.0/16", "-j MASQUERADE");
        assertThat(nat.indexOf("-d 10.42.0.0/16")).isLessThan(nat.indexOf("-j MASQUERADE"));
        assertThat(iptables.iptables("-t", "nat", "-S", "POSTROUTING")).containsOnlyOnce("-j CAPSTAN-MSQ-cpx1");
    }

    @Test
    void removeTakesTheChainsAndJumpsAway() {
        ForwardingRules rules = new ForwardingRules(iptables, "cni0", "10.42.0.0/16", "10.42.3.0/24");
        rules.apply();

        rules.remove();

        assertThat(iptables.iptables("-t", "filter", "-S")).doesNotContain("CAPSTAN-FORWARD");
        assertThat(iptables.iptables("-t", "nat", "-S")).doesNotContain("CAPSTAN-POD-MASQ");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
