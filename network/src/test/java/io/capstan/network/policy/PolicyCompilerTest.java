package io.capstan.network.policy;

import static io.capstan.network.policy.Fixtures.namespace;
import static io.capstan.network.policy.Fixtures.pod;
import static io.capstan.network.policy.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {

    private final PolicyCompiler compiler = new PolicyCompiler("n1");

    private final ObjectNode web = pod("prod", "web", "n1", "10.42.0.10", "app=web", "http:8080/TCP,dns:53/UDP");
    private final ObjectNode prodClient = pod("prod", "client", "n1", "10.42.0.11", "role=client", "");
    private final ObjectNode prodOther = pod("prod", "other", "n2", "10.42.1.12", "role=other", "");
    private final ObjectNode devClient = pod("dev", "client", "n2", "10.42.1.20", "role=client", "");
    private final ObjectNode devOther = pod("dev", "other", "n1", "10.42.0.21", "role=other", "");
    private final List<ObjectNode> namespaces = List.of(namespace("prod", "env=prod"), namespace("dev", "env=dev"));
    private final List<ObjectNode> pods = List.of(web, prodClient, prodOther, devClient, devOther);

    private List<PodRules> compile(JsonNode... policies) {
        return compiler.compile(new PolicySnapshot(List.of(policies), pods, namespaces));
    }

    private PodRules rulesOf(List<PodRules> rules, String namespace, String name) {
        return rules.stream().filter(r -> r.namespace().equals(namespace) && r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void withoutPoliciesNoPodIsIsolated() {
        assertThat(compile()).isEmpty();
    }

    @Test
    void defaultDenyIngressIsolatesEveryPodOfTheNamespaceOnThisNodeForIngressOnly() {
        List<PodRules> rules = compile(policy("prod", "deny", """
                podSelector: {}
                policyTypes: [Ingress]
                """));
        assertThat(rules).extracting(PodRules::name).containsExactly("client", "web");
        assertThat(rulesOf(rules, "prod", "web").ingress()).contains(List.of());
        assertThat(rulesOf(rules, "prod", "web").egress()).isEmpty();
    }

    @Test
    void aPolicyWithoutPolicyTypesIsolatesForIngressAndForEgressOnlyWhenItHasEgressRules() {
        List<PodRules> ingressOnly = compile(policy("prod", "p", "podSelector: {matchLabels: {app: web}}\n"));
        assertThat(rulesOf(ingressOnly, "prod", "web").egress()).isEmpty();
        assertThat(rulesOf(ingressOnly, "prod", "web").ingress()).contains(List.of());

        List<PodRules> both = compile(policy("prod", "p", """
                podSelector: {matchLabels: {app: web}}
                egress: [{to: [{ipBlock: {cidr: 192.168.0.0/16}}]}]
                """));
        assertThat(rulesOf(both, "prod", "web").egress()).contains(List.of(new Allow("192.168.0.0/16", "", 0, 0)));
        assertThat(rulesOf(both, "prod", "web").ingress()).contains(List.of());
    }

    @Test
    void defaultDenyEgressIsolatesForEgressOnly() {
        List<PodRules> rules = compile(policy("dev", "deny", "podSelector: {}\npolicyTypes: [Egress]\n"));
        assertThat(rules).hasSize(1);
        assertThat(rules.getFirst().egress()).contains(List.of());
        assertThat(rules.getFirst().ingress()).isEmpty();
    }

    @Test
    void anEmptyRuleAllowsEverything() {
        List<PodRules> rules = compile(policy("prod", "all", "podSelector: {}\ningress: [{}]\n"));
        assertThat(rulesOf(rules, "prod", "web").ingress()).contains(List.of(Allow.EVERYTHING));
    }

    @Test
    void allowFromANamespaceAdmitsEveryPodThere() {
        List<PodRules> rules = compile(policy("prod", "from-dev", """
                podSelector: {matchLabels: {app: web}}
                ingress: [{from: [{namespaceSelector: {matchLabels: {env: dev}}}]}]
                """));
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).extracting(Allow::remote)
                .containsExactlyInAnyOrder("10.42.1.20/32", "10.42.0.21/32");
    }

    @Test
    void aPodSelectorAlonePicksPodsOfThePolicysOwnNamespace() {
        List<PodRules> rules = compile(policy("prod", "from-clients", """
                podSelector: {matchLabels: {app: web}}
                ingress: [{from: [{podSelector: {matchLabels: {role: client}}}]}]
                """));
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).extracting(Allow::remote).containsExactly("10.42.0.11/32");
    }

    @Test
    void podAndNamespaceSelectorInOnePeerAreAndedButInTwoPeersAreOred() {
        List<PodRules> and = compile(policy("prod", "and", """
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {env: dev}}
                    podSelector: {matchLabels: {role: client}}
                """));
        assertThat(rulesOf(and, "prod", "web").ingress().orElseThrow()).extracting(Allow::remote).containsExactly("10.42.1.20/32");

        List<PodRules> or = compile(policy("prod", "or", """
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {env: dev}}
                  - podSelector: {matchLabels: {role: client}}
                """));
        assertThat(rulesOf(or, "prod", "web").ingress().orElseThrow()).extracting(Allow::remote)
                .containsExactlyInAnyOrder("10.42.1.20/32", "10.42.0.21/32", "10.42.0.11/32");
    }

    @Test
    void theNamespaceNameLabelSelectsANamespaceWithoutLabels() {
        List<PodRules> rules = compiler.compile(new PolicySnapshot(List.of(policy("prod", "p", """
                podSelector: {matchLabels: {app: web}}
                ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dev}}}]}]
                """)), pods, List.of(namespace("prod", ""), namespace("dev", ""))));
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).hasSize(2);
    }

    @Test
    void ipBlockExceptLeavesTheBlockWithoutTheHoles() {
        List<PodRules> rules = compile(policy("prod", "block", """
                podSelector: {matchLabels: {app: web}}
                ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}], ports: [{port: 8080}]}]
                """));
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).extracting(Allow::remote).containsExactly(
                "172.17.0.0/24", "172.17.2.0/23", "172.17.4.0/22", "172.17.8.0/21", "172.17.16.0/20", "172.17.32.0/19",
                "172.17.64.0/18", "172.17.128.0/17");
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).allMatch(a -> a.protocol().equals("TCP") && a.fromPort() == 8080);
    }

    @Test
    void portsAreAndedWithPeersAndRangesAndProtocolsKept() {
        List<PodRules> rules = compile(policy("prod", "ports", """
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from: [{podSelector: {matchLabels: {role: client}}}]
                  ports: [{port: 80}, {protocol: UDP, port: 5000, endPort: 5010}, {protocol: SCTP}]
                """));
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).containsExactly(
                new Allow("10.42.0.11/32", "TCP", 80, 80), new Allow("10.42.0.11/32", "UDP", 5000, 5010),
                new Allow("10.42.0.11/32", "SCTP", 0, 0));
    }

    @Test
    void ingressNamedPortsResolveAgainstTheTargetPodsOwnPorts() {
        List<PodRules> rules = compile(policy("prod", "named", """
                podSelector: {}
                ingress: [{ports: [{port: http}, {port: dns, protocol: UDP}, {port: dns}]}]
                """));
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).containsExactly(
                Allow.ports("TCP", 8080, 8080), Allow.ports("UDP", 53, 53));
        // The client has no port named http: nothing gets in.
        assertThat(rulesOf(rules, "prod", "client").ingress()).contains(List.of());
    }

    @Test
    void egressNamedPortsResolveAgainstEachDestinationPod() {
        List<PodRules> rules = compile(policy("prod", "egress", """
                podSelector: {matchLabels: {role: client}}
                policyTypes: [Egress]
                egress: [{ports: [{port: http}]}, {to: [{ipBlock: {cidr: 10.42.0.0/16}}], ports: [{port: dns, protocol: UDP}]}]
                """));
        assertThat(rulesOf(rules, "prod", "client").egress().orElseThrow()).containsExactly(
                new Allow("10.42.0.10/32", "TCP", 8080, 8080), new Allow("10.42.0.10/32", "UDP", 53, 53));
    }

    @Test
    void policiesAreAdditiveAndOnlySelectPodsOfTheirNamespace() {
        List<PodRules> rules = compile(
                policy("prod", "a", "podSelector: {matchLabels: {app: web}}\ningress: [{ports: [{port: 80}]}]\n"),
                policy("prod", "b", "podSelector: {matchLabels: {app: web}}\ningress: [{ports: [{port: 443}]}]\n"),
                policy("dev", "c", "podSelector: {matchLabels: {app: web}}\n"));
        assertThat(rules).extracting(PodRules::name).containsExactly("web");
        assertThat(rules.getFirst().ingress()).contains(List.of(Allow.ports("TCP", 80, 80), Allow.ports("TCP", 443, 443)));
    }

    @Test
    void podsOfOtherNodesHostNetworkAndFinishedPodsAreNotTargetsAndNotPeers() {
        ObjectNode hostPod = pod("prod", "host", "n1", "192.168.1.5", "role=client", "");
        hostPod.with("spec").put("hostNetwork", true);
        ObjectNode done = pod("prod", "done", "n1", "10.42.0.30", "role=client", "");
        done.with("status").put("phase", "Succeeded");
        List<PodRules> rules = compiler.compile(new PolicySnapshot(List.of(policy("prod", "p", """
                podSelector: {}
                ingress: [{from: [{podSelector: {matchLabels: {role: client}}}]}]
                """)), List.of(web, prodClient, prodOther, hostPod, done), namespaces));
        assertThat(rules).extracting(PodRules::name).containsExactly("client", "web");
        assertThat(rulesOf(rules, "prod", "web").ingress().orElseThrow()).extracting(Allow::remote).containsExactly("10.42.0.11/32");
    }

    @Test
    void aPodWithoutAnAddressYetIsNotCompiled() {
        ObjectNode pending = pod("prod", "pending", "n1", "", "app=web", "");
        pending.with("status").remove(List.of("podIP", "podIPs"));
        List<PodRules> rules = compiler.compile(new PolicySnapshot(List.of(policy("prod", "p", "podSelector: {}\n")),
                List.of(pending), namespaces));
        assertThat(rules).isEmpty();
    }
}
