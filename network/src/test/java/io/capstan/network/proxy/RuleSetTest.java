package io.capstan.network.proxy;

import static io.capstan.network.proxy.Objects.service;
import static io.capstan.network.proxy.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSetTest {

    private static final IptablesRenderer RENDERER = new IptablesRenderer(IptablesRendererTest.CONFIG);
    private static final ChainNames NAMES = new ChainNames("");

    private static RuleSet twoServices(String... webEndpoints) {
        return RENDERER.render(ModelBuilder.build(List.of(
                service("default", "web", "{'clusterIP':'10.43.0.5','ports':[{'port':80}]}"),
                service("default", "api", "{'clusterIP':'10.43.0.6','ports':[{'port':80}]}")), List.of(
                slice("default", "web", "", 8080, "TCP", webEndpoints),
                slice("default", "api", "", 8080, "TCP", "10.42.0.9")), "node-a"));
    }

    @Test
    void anUnchangedModelWritesNothing() {
        assertThat(twoServices("10.42.0.2").restoreInput(twoServices("10.42.0.2"))).isEmpty();
    }

    @Test
    void aChangedEndpointRewritesOnlyItsServiceChainsAndDeletesTheOldEndpointChain() {
        ServicePortName web = new ServicePortName("default", "web", "", "TCP");
        ServicePortName api = new ServicePortName("default", "api", "", "TCP");
        String oldSep = NAMES.sep(web, new Endpoint("10.42.0.2", 8080, true, true, false, false));
        String newSep = NAMES.sep(web, new Endpoint("10.42.0.3", 8080, true, true, false, false));
        String input = twoServices("10.42.0.3").restoreInput(twoServices("10.42.0.2"));
        assertThat(input).isEqualTo("*nat\n"
                + ":" + NAMES.svc(web) + " - [0:0]\n"
                + ":" + newSep + " - [0:0]\n"
                + ":" + oldSep + " - [0:0]\n"
                + "-A " + NAMES.svc(web) + " -m comment --comment \"default/web cluster IP\" -p tcp -m tcp -d 10.43.0.5/32 --dport 80 ! -s 10.42.0.0/16 -j CAPSTAN-MARK-MASQ\n"
                + "-A " + NAMES.svc(web) + " -m comment --comment \"default/web -> 10.42.0.3:8080\" -j " + newSep + "\n"
                + "-A " + newSep + " -m comment --comment \"default/web\" -s 10.42.0.3/32 -j CAPSTAN-MARK-MASQ\n"
                + "-A " + newSep + " -m comment --comment \"default/web\" -p tcp -m tcp -j DNAT --to-destination 10.42.0.3:8080\n"
                + "-X " + oldSep + "\n"
                + "COMMIT\n");
        assertThat(input).doesNotContain(NAMES.svc(api));
    }

    @Test
    void aServiceLosingItsEndpointsMovesToTheFilterTable() {
        String input = twoServices().restoreInput(twoServices("10.42.0.2"));
        assertThat(input).contains("*filter\n:CAPSTAN-SERVICES - [0:0]\n-A CAPSTAN-SERVICES -m comment --comment \"default/web has no endpoints\"");
        assertThat(input).contains(":CAPSTAN-SERVICES - [0:0]\n").contains("-X CAPSTAN-SVC-");
    }

    @Test
    void leftoverChainsAreRewrittenOrDeleted() {
        RuleSet leftovers = RuleSet.leftovers(Map.of("nat", List.of("CAPSTAN-SERVICES", "CAPSTAN-SVC-OLD"), "filter", List.of()));
        String input = twoServices("10.42.0.2").restoreInput(leftovers);
        assertThat(input).contains(":CAPSTAN-SERVICES - [0:0]\n").contains("-X CAPSTAN-SVC-OLD\n").doesNotContain("-X CAPSTAN-SERVICES");
    }

    @Test
    void removingEverythingFlushesThenDeletesEveryChain() {
        String input = new RuleSet().restoreInput(twoServices("10.42.0.2"));
        assertThat(input).contains(":CAPSTAN-POSTROUTING - [0:0]\n").contains("-X CAPSTAN-POSTROUTING\n").contains("-X CAPSTAN-EXTERNAL\n")
                .doesNotContain("-A ");
    }
}
