package io.capstan.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcHostsTest {

    private static final String HEADER = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            """;

    @Test
    void managedFileNamesEveryPodIpAndTheAliases() {
        String hosts = EtcHosts.managed(List.of("10.0.0.5", "fd00::5"), new PodHostname("web", ""),
                List.of(new HostAlias(List.of("foo.local", "bar.local"), "127.0.0.1"), new HostAlias(List.of("foo.remote"), "10.1.2.3")));
        assertThat(hosts).isEqualTo(HEADER + "10.0.0.5\tweb\nfd00::5\tweb\n\n# Entries added by HostAliases.\n"
                + "127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n");
    }

    @Test
    void aSubdomainAddsTheFullyQualifiedName() {
        var pod = new PodBuilder().withNewMetadata().withName("web-0").withNamespace("prod").endMetadata()
                .withNewSpec().withHostname("db").withSubdomain("cluster").endSpec().build();
        PodHostname name = PodHostname.of(pod, "cluster.local");
        assertThat(name).isEqualTo(new PodHostname("db", "cluster.prod.svc.cluster.local"));
        assertThat(EtcHosts.managed(List.of("10.0.0.5"), name, null)).isEqualTo(HEADER + "10.0.0.5\tdb.cluster.prod.svc.cluster.local\tdb\n");
    }

    @Test
    void longPodNamesAreCutTo63CharactersWithoutATrailingDash() {
        var pod = new PodBuilder().withNewMetadata().withName("a".repeat(62) + "-b").endMetadata().withNewSpec().endSpec().build();
        assertThat(PodHostname.of(pod, "cluster.local").hostname()).isEqualTo("a".repeat(62));
    }

    @Test
    void hostNetworkPodsGetTheNodesFile() {
        assertThat(EtcHosts.hostNetwork("127.0.0.1 localhost\n", List.of(new HostAlias(List.of("x"), "1.2.3.4"))))
                .isEqualTo("# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n");
    }
}
