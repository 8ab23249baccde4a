package io.capstan.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResolvConfTest {

    private static final String HOST = """
            # generated
            nameserver 192.168.1.1
            nameserver 8.8.8.8
            search corp.example. home
            options edns0 timeout:2
            """;

    private static Pod pod(String policy, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).endSpec().build();
    }

    @Test
    void clusterFirstUsesClusterDnsWithTheClusterSearchPathAndNdots() {
        var result = new ResolvConf(List.of("10.96.0.10"), "cluster.local", HOST).forPod(pod("ClusterFirst", false), "web_prod(u)");
        assertThat(result.content()).isEqualTo("""
                search prod.svc.cluster.local svc.cluster.local cluster.local corp.example home
                nameserver 10.96.0.10
                options ndots:5
                """);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void clusterFirstWithoutClusterDnsFallsBackToTheHostAndWarns() {
        var result = new ResolvConf(List.of(), "cluster.local", HOST).forPod(pod(null, false), "web_prod(u)");
        assertThat(result.content()).isEqualTo("search corp.example home\nnameserver 192.168.1.1\nnameserver 8.8.8.8\noptions edns0 timeout:2\n");
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo("MissingClusterDNS");
            assertThat(w.message()).isEqualTo("pod: \"web_prod(u)\". kubelet does not have ClusterDNS IP configured and cannot create Pod "
                    + "using \"ClusterFirst\" policy. Falling back to \"Default\" policy.");
        });
    }

    @Test
    void hostNetworkPodsUseTheHostUnlessClusterFirstWithHostNet() {
        ResolvConf dns = new ResolvConf(List.of("10.96.0.10"), "cluster.local", HOST);
        assertThat(dns.forPod(pod("ClusterFirst", true), "p").nameservers()).containsExactly("192.168.1.1", "8.8.8.8");
        assertThat(dns.forPod(pod("ClusterFirstWithHostNet", true), "p").nameservers()).containsExactly("10.96.0.10");
        assertThat(dns.forPod(pod("Default", false), "p").nameservers()).containsExactly("192.168.1.1", "8.8.8.8");
    }

    @Test
    void noneTakesOnlyDnsConfigAndDnsConfigIsMergedOtherwise() {
        ResolvConf dns = new ResolvConf(List.of("10.96.0.10"), "cluster.local", HOST);
        Pod none = new PodBuilder(pod("None", false)).editSpec().withNewDnsConfig().withNameservers("1.1.1.1").withSearches("a.b")
                .withOptions(new PodDNSConfigOption("ndots", "2")).endDnsConfig().endSpec().build();
        assertThat(dns.forPod(none, "p").content()).isEqualTo("search a.b\nnameserver 1.1.1.1\noptions ndots:2\n");
        Pod merged = new PodBuilder(pod("ClusterFirst", false)).editSpec().withNewDnsConfig().withNameservers("10.96.0.10", "1.1.1.1")
                .withSearches("svc.cluster.local", "x.y").withOptions(new PodDNSConfigOption("ndots", "1"), new PodDNSConfigOption("rotate", null))
                .endDnsConfig().endSpec().build();
        var result = dns.forPod(merged, "p");
        assertThat(result.nameservers()).containsExactly("10.96.0.10", "1.1.1.1");
        assertThat(result.searches()).containsExactly("prod.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "home", "x.y");
        assertThat(result.options()).containsExactly("ndots:1", "rotate");
    }

    @Test
    void limitsAreAppliedWithTheKubeletsWarnings() {
        Pod pod = new PodBuilder(pod("None", false)).editSpec().withNewDnsConfig().withNameservers("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4")
                .withSearches(IntStream.range(0, 40).mapToObj(i -> "d" + i + ".example").toList()).endDnsConfig().endSpec().build();
        var result = new ResolvConf(List.of(), "cluster.local", "").forPod(pod, "p");
        assertThat(result.nameservers()).containsExactly("1.1.1.1", "2.2.2.2", "3.3.3.3");
        assertThat(result.searches()).hasSize(32);
        assertThat(result.warnings()).extracting(w -> w.message()).containsExactly(
                "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3",
                "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: "
                        + String.join(" ", result.searches()));
    }
}
