package io.capstan.agent.volumes;

import io.fabric8.kubernetes.api.model.HostAlias;
import java.util.List;

/** The /etc/hosts the kubelet writes for a pod (ensureHostsFile). */
public final class EtcHosts {

    private EtcHosts() {}

    /** For a pod with its own network: localhost lines, the pod's IPs with its hostname (and FQDN), then the host aliases. */
    public static String managed(List<String> podIPs, PodHostname name, List<HostAlias> aliases) {
        StringBuilder out = new StringBuilder("# Kubernetes-managed hosts file.\n")
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        for (String ip : podIPs) {
            if (name.domain().isEmpty()) {
                out.append(ip).append('\t').append(name.hostname()).append('\n');
            } else {
                out.append(ip).append('\t').append(name.hostname()).append('.').append(name.domain()).append('\t').append(name.hostname()).append('\n');
            }
        }
        return out.append(aliases(aliases)).toString();
    }

    /** For a pod on the host's network: the node's own hosts file, then the host aliases. */
    public static String hostNetwork(String nodeHosts, List<HostAlias> aliases) {
        return "# Kubernetes-managed hosts file (host network).\n" + nodeHosts + aliases(aliases);
    }

    private static String aliases(List<HostAlias> aliases) {
        if (aliases == null || aliases.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n# Entries added by HostAliases.\n");
        for (HostAlias alias : aliases) {
            out.append(alias.getIp()).append('\t').append(String.join("\t", alias.getHostnames() == null ? List.of() : alias.getHostnames())).append('\n');
        }
        return out.toString();
    }
}
