package io.capstan.network.proxy;

import static io.capstan.network.proxy.Objects.service;
import static io.capstan.network.proxy.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesRendererTest {

    static final ProxyConfig CONFIG = new ProxyConfig("node-a", List.of("192.168.5.2"), "10.42.0.0/16", "", false, Duration.ZERO);

    private static RuleSet render(ProxyConfig config, List<ObjectNode> services, List<ObjectNode> slices) {
        return new IptablesRenderer(config).render(ModelBuilder.build(services, slices, config.nodeName()));
    }

    private static RuleSet render(List<ObjectNode> services, List<ObjectNode> slices) {
        return render(CONFIG, services, slices);
    }

    private static final ChainNames NAMES = new ChainNames("");
    private static final ServicePortName WEB = new ServicePortName("default", "web", "http", "TCP");

    private static List<ObjectNode> web(String extraSpec) {
        return List.of(service("default", "web", "{'clusterIP':'10.43.0.5'," + extraSpec + "'ports':[{'name':'http','port':80,'nodePort':30080}]}"));
    }

    private static List<ObjectNode> threeEndpoints() {
        return List.of(slice("default", "web", "http", 8080, "TCP", "10.42.0.2@node-a", "10.42.0.3@node-b", "10.42.0.4@node-b"));
    }

    @Test
    void clusterIpSpreadsNewConnectionsEquallyOverEveryEndpoint() {
        RuleSet rules = render(web(""), threeEndpoints());
        assertThat(rules.chains("nat").get("CAPSTAN-SERVICES")).first().isEqualTo(
                "-m comment --comment \"default/web:http cluster IP\" -p tcp -m tcp -d 10.43.0.5/32 --dport 80 -j " + NAMES.svc(WEB));
        List<String> svc = rules.chains("nat").get(NAMES.svc(WEB));
        assertThat(svc).hasSize(4);
        assertThat(svc.get(0)).endsWith("-d 10.43.0.5/32 --dport 80 ! -s 10.42.0.0/16 -j CAPSTAN-MARK-MASQ");
        assertThat(svc.get(1)).contains("-> 10.42.0.2:8080").contains("--probability 0.3333333333");
        assertThat(svc.get(2)).contains("-> 10.42.0.3:8080").contains("--probability 0.5000000000");
        assertThat(svc.get(3)).contains("-> 10.42.0.4:8080").doesNotContain("statistic");
        String sep = NAMES.sep(WEB, new Endpoint("10.42.0.3", 8080, true, true, false, false));
        assertThat(rules.chains("nat").get(sep)).containsExactly(
                "-m comment --comment \"default/web:http\" -s 10.42.0.3/32 -j CAPSTAN-MARK-MASQ",
                "-m comment --comment \"default/web:http\" -p tcp -m tcp -j DNAT --to-destination 10.42.0.3:8080");
    }

    @Test
    void portsWithoutEndpointsAreRejectedInTheFilterTable() {
        RuleSet rules = render(web("'type':'NodePort',"), List.of());
        assertThat(rules.chains("filter").get("CAPSTAN-SERVICES")).containsExactly(
                "-m comment --comment \"default/web:http has no endpoints\" -p tcp -m tcp -d 10.43.0.5/32 --dport 80 -j REJECT");
        assertThat(rules.chains("filter").get("CAPSTAN-EXTERNAL")).containsExactly(
                "-m comment --comment \"default/web:http has no endpoints\" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT");
        assertThat(rules.chains("nat")).doesNotContainKey(NAMES.svc(WEB));
        assertThat(rules.chains("nat").get("CAPSTAN-NODEPORTS")).isEmpty();
    }

    @Test
    void clientIpAffinityChecksTheRecentListBeforeSpreading() {
        RuleSet rules = render(web("'sessionAffinity':'ClientIP','sessionAffinityConfig':{'clientIP':{'timeoutSeconds':60}},"), threeEndpoints());
        List<String> svc = rules.chains("nat").get(NAMES.svc(WEB));
        Endpoint first = new Endpoint("10.42.0.2", 8080, true, true, false, true);
        String sep = NAMES.sep(WEB, first);
        assertThat(svc.get(1)).isEqualTo("-m comment --comment \"default/web:http -> 10.42.0.2:8080\" -m recent --name " + sep
                + " --mask 255.255.255.255 --rsource --rcheck --seconds 60 --reap -j " + sep);
        assertThat(svc.subList(1, 4)).allMatch(r -> r.contains("--rcheck"));
        assertThat(svc.subList(4, 7)).noneMatch(r -> r.contains("--rcheck"));
        assertThat(rules.chains("nat").get(sep).get(1)).contains("-m recent --name " + sep + " --mask 255.255.255.255 --rsource --set")
                .endsWith("-j DNAT --to-destination 10.42.0.2:8080");
    }

    @Test
    void nodePortsWithClusterPolicyAreMasqueradedAndSpreadOverAllEndpoints() {
        RuleSet rules = render(web("'type':'NodePort',"), threeEndpoints());
        assertThat(rules.chains("nat").get("CAPSTAN-NODEPORTS")).containsExactly(
                "-m comment --comment \"default/web:http\" -p tcp -m tcp --dport 30080 -j " + NAMES.ext(WEB));
        assertThat(rules.chains("nat").get(NAMES.ext(WEB))).containsExactly(
                "-m comment --comment \"masquerade traffic for default/web:http external destinations\" -j CAPSTAN-MARK-MASQ",
                "-j " + NAMES.svc(WEB));
        assertThat(rules.chains("nat").get("CAPSTAN-SERVICES")).last().isEqualTo(
                "-m comment --comment \"capstan service nodeports; NOTE: this must be the last rule in this chain\""
                        + " -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j CAPSTAN-NODEPORTS");
    }

    @Test
    void localhostNodePortsOnlyWhenRouteLocalnetAllowsThem() {
        ProxyConfig localhost = new ProxyConfig("node-a", List.of(), "10.42.0.0/16", "", true, Duration.ZERO);
        assertThat(render(localhost, web("'type':'NodePort',"), threeEndpoints()).chains("nat").get("CAPSTAN-SERVICES")).last()
                .asString().endsWith("-m addrtype --dst-type LOCAL -j CAPSTAN-NODEPORTS");
    }

    @Test
    void externalTrafficPolicyLocalKeepsTheSourceAndUsesOnlyLocalEndpoints() {
        RuleSet rules = render(web("'type':'NodePort','externalTrafficPolicy':'Local',"), threeEndpoints());
        List<String> ext = rules.chains("nat").get(NAMES.ext(WEB));
        assertThat(ext).hasSize(4);
        assertThat(ext.get(0)).endsWith("-s 10.42.0.0/16 -j " + NAMES.svc(WEB));
        assertThat(ext.get(1)).endsWith("-m addrtype --src-type LOCAL -j CAPSTAN-MARK-MASQ");
        assertThat(ext.get(2)).endsWith("-m addrtype --src-type LOCAL -j " + NAMES.svc(WEB));
        assertThat(ext.get(3)).isEqualTo("-j " + NAMES.svl(WEB));
        assertThat(rules.chains("nat").get(NAMES.svl(WEB))).singleElement().asString().contains("-> 10.42.0.2:8080")
                .doesNotContain("MARK-MASQ");
    }

    @Test
    void externalTrafficPolicyLocalWithoutLocalEndpointsDropsExternalTraffic() {
        RuleSet rules = render(web("'type':'NodePort','externalTrafficPolicy':'Local',"),
                List.of(slice("default", "web", "http", 8080, "TCP", "10.42.0.3@node-b")));
        assertThat(rules.chains("filter").get("CAPSTAN-EXTERNAL")).singleElement().asString()
                .contains("has no local endpoints").endsWith("--dport 30080 -j DROP");
        assertThat(rules.chains("nat").get(NAMES.ext(WEB))).hasSize(3).noneMatch(r -> r.contains("SVL"));
    }

    @Test
    void loadBalancersAnswerOnTheNodeAddressesAtTheServicePort() {
        RuleSet rules = render(web("'type':'LoadBalancer',"), threeEndpoints());
        assertThat(rules.chains("nat").get("CAPSTAN-SERVICES")).contains(
                "-m comment --comment \"default/web:http external IP\" -p tcp -m tcp -d 192.168.5.2/32 --dport 80 -j " + NAMES.ext(WEB));
        assertThat(rules.chains("nat").get("CAPSTAN-NODEPORTS")).hasSize(1);
    }

    @Test
    void udpAndSctpUseTheirOwnMatches() {
        RuleSet rules = render(List.of(service("kube-system", "dns", "{'clusterIP':'10.43.0.10','ports':[{'name':'dns','port':53,'protocol':'UDP'},"
                + "{'name':'x','port':9,'protocol':'SCTP'}]}")), List.of(slice("kube-system", "dns", "dns", 53, "UDP", "10.42.0.9")));
        assertThat(rules.chains("nat").get("CAPSTAN-SERVICES").getFirst()).contains("-p udp -m udp -d 10.43.0.10/32 --dport 53");
        assertThat(rules.chains("filter").get("CAPSTAN-SERVICES")).singleElement().asString().contains("-p sctp -m sctp");
    }

    @Test
    void aChainTagRenamesEveryChain() {
        ProxyConfig tagged = new ProxyConfig("node-a", List.of(), "10.42.0.0/16", "e2e01", false, Duration.ZERO);
        RuleSet rules = render(tagged, web("'type':'NodePort',"), threeEndpoints());
        ChainNames names = new ChainNames("e2e01");
        assertThat(rules.chains("nat").keySet()).contains("CAPSTAN-SERVICES-e2e01", "CAPSTAN-NODEPORTS-e2e01", "CAPSTAN-POSTROUTING-e2e01",
                "CAPSTAN-MARK-MASQ-e2e01", names.svc(WEB)).doesNotContain("CAPSTAN-SERVICES", NAMES.svc(WEB));
        assertThat(rules.chains("nat").keySet()).allMatch(c -> c.length() <= 28);
        assertThat(rules.text()).doesNotContain("CAPSTAN-MARK-MASQ ").doesNotContain("CAPSTAN-NODEPORTS\n");
    }

    @Test
    void postroutingMasqueradesMarkedPacketsOnly() {
        assertThat(render(List.of(), List.of()).chains("nat").get("CAPSTAN-POSTROUTING")).containsExactly(
                "-m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-j MARK --xor-mark 0x4000",
                "-m comment --comment \"capstan service traffic requiring SNAT\" -j MASQUERADE");
    }
}
