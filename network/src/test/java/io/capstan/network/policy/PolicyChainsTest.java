package io.capstan.network.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyChainsTest {

    private final PolicyChains chains = new PolicyChains("ABC123");

    private final PodRules denyAll = new PodRules("prod", "web", "10.42.0.10", Optional.of(List.of()), Optional.empty());
    private final PodRules allowSome = new PodRules("prod", "web", "10.42.0.10", Optional.of(List.of(
            new Allow("10.42.0.11/32", "TCP", 8080, 8080), new Allow("", "UDP", 5000, 5010), new Allow("", "SCTP", 0, 0),
            new Allow("fd00::/64", "", 0, 0))), Optional.of(List.of(Allow.EVERYTHING)));

    @Test
    void theTopChainLetsRepliesAndTheNodeThroughAndSendsEachIsolatedPodToItsChains() {
        Map<String, List<String>> rendered = chains.render(List.of(allowSome));
        String egress = rendered.keySet().stream().filter(c -> c.startsWith("CAPSTAN-NP-ABC123-E")).findFirst().orElseThrow();
        String ingress = rendered.keySet().stream().filter(c -> c.startsWith("CAPSTAN-NP-ABC123-I")).findFirst().orElseThrow();
        assertThat(rendered.get("CAPSTAN-NP-ABC123")).containsExactly(
                "-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
                "-m addrtype --src-type LOCAL -j RETURN",
                "-s 10.42.0.10/32 -j " + egress,
                "-d 10.42.0.10/32 -j " + ingress);
        assertThat(rendered.keySet()).allMatch(c -> c.length() <= 28 && chains.owns(c));
    }

    @Test
    void aPodChainReturnsWhatIsAllowedAndDropsTheRest() {
        Map<String, List<String>> rendered = chains.render(List.of(allowSome));
        List<String> ingress = rendered.entrySet().stream().filter(e -> e.getKey().contains("-I")).findFirst().orElseThrow().getValue();
        assertThat(ingress).containsExactly(
                "-s 10.42.0.10/32 -j RETURN",
                "-s 10.42.0.11/32 -p tcp -m tcp --dport 8080 -j RETURN",
                "-p udp -m udp --dport 5000:5010 -j RETURN",
                "-p sctp -m sctp -j RETURN",
                "-m comment --comment \"ingress of prod/web not allowed by its policies\" -j DROP");
        List<String> egress = rendered.entrySet().stream().filter(e -> e.getKey().contains("-E")).findFirst().orElseThrow().getValue();
        assertThat(egress).containsExactly("-d 10.42.0.10/32 -j RETURN", "-j RETURN",
                "-m comment --comment \"egress of prod/web not allowed by its policies\" -j DROP");
    }

    @Test
    void aDefaultDenyDropsAllButThePodsOwnTraffic() {
        Map<String, List<String>> rendered = chains.render(List.of(denyAll));
        assertThat(rendered).hasSize(2);
        assertThat(rendered.values().stream().skip(1).findFirst().orElseThrow()).hasSize(2).last().asString().endsWith("-j DROP");
    }

    @Test
    void chainsOfAnotherTagAreNotOwned() {
        assertThat(chains.owns("CAPSTAN-NP-ABC124")).isFalse();
        assertThat(chains.owns("CAPSTAN-NP-ABC1234")).isFalse();
        assertThat(PolicyChains.tag("cni0")).hasSize(6).isNotEqualTo(PolicyChains.tag("cni1"));
    }

    @Test
    void theRestoreScriptRewritesOnlyChangedChainsAndDeletesTheGoneOnes() {
        Map<String, List<String>> first = chains.render(List.of(denyAll));
        String initial = RestoreScript.between(Map.of(), first);
        assertThat(initial).startsWith("*filter\n:CAPSTAN-NP-ABC123 - [0:0]\n").endsWith("COMMIT\n").contains("-j DROP");

        assertThat(RestoreScript.between(first, chains.render(List.of(denyAll)))).isEmpty();

        // Only the pod's ingress rules change: the top chain stays as it is.
        Map<String, List<String>> second = chains.render(List.of(new PodRules("prod", "web", "10.42.0.10", allowSome.ingress(), Optional.empty())));
        String change = RestoreScript.between(first, second);
        String ingressChain = first.keySet().stream().skip(1).findFirst().orElseThrow();
        assertThat(change).doesNotContain(":CAPSTAN-NP-ABC123 - [0:0]").contains(":" + ingressChain + " - [0:0]")
                .contains("--dport 8080").doesNotContain("-X");

        String removal = RestoreScript.between(second, chains.render(List.of()));
        assertThat(removal).contains(":CAPSTAN-NP-ABC123 - [0:0]", "-X " + ingressChain).doesNotContain("-j DROP");
        assertThat(removal.indexOf("-A CAPSTAN-NP-ABC123 ")).isLessThan(removal.indexOf("-X "));
    }
}
