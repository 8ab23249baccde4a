package io.capstan.agent.volumes;

import io.capstan.agent.PodWarning;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolv.conf from its dnsPolicy and dnsConfig, as the kubelet's DNS configurer builds it (pkg/kubelet/network/dns)
 * and the runtime writes it: ClusterFirst uses the cluster DNS servers with the cluster search path and ndots:5, and
 * falls back to the host's settings while there is no cluster DNS (with a MissingClusterDNS warning); Default uses the
 * host's; None only dnsConfig; dnsConfig is appended; at most 3 nameservers and 32 search domains (2048 characters).
 */
public final class ResolvConf {

    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCHES = 32;
    static final int MAX_SEARCH_CHARS = 2048;

    /** The settings, and the warning events the kubelet would record. */
    public record Result(List<String> nameservers, List<String> searches, List<String> options, List<PodWarning> warnings) {

        /** The file as the runtime writes it. */
        public String content() {
            StringBuilder out = new StringBuilder();
            if (!searches.isEmpty()) {
                out.append("search ").append(String.join(" ", searches)).append('\n');
            }
            for (String ns : nameservers) {
                out.append("nameserver ").append(ns).append('\n');
            }
            if (!options.isEmpty()) {
                out.append("options ").append(String.join(" ", options)).append('\n');
            }
            return out.toString();
        }
    }

    private final List<String> clusterDns;
    private final String clusterDomain;
    private final String hostResolvConf;

    /**
     * @param clusterDns the cluster DNS servers; empty while there is none
     * @param hostResolvConf the host's resolv.conf content (see {@link #hostFile()})
     */
    public ResolvConf(List<String> clusterDns, String clusterDomain, String hostResolvConf) {
        this.clusterDns = List.copyOf(clusterDns);
        this.clusterDomain = clusterDomain;
        this.hostResolvConf = hostResolvConf;
    }

    /**
     * The host's resolv.conf: /etc/resolv.conf, or systemd-resolved's upstream file when /etc/resolv.conf only names
     * its local stub (127.0.0.53), which a pod's network namespace cannot reach (kubeadm points the kubelet there too).
     */
    public static Path hostFile() {
        return io.capstan.network.dns.HostResolvers.hostFile();
    }

    public Result forPod(Pod pod, String podDescription) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        parseHost(nameservers, searches, options);
        List<PodWarning> events = new ArrayList<>();
        String policy = pod.getSpec().getDnsPolicy() == null ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        boolean cluster = policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork);
        if (policy.equals("None")) {
            nameservers.clear();
            searches.clear();
            options.clear();
        } else if (cluster && !clusterDns.isEmpty()) {
            nameservers.clear();
            nameservers.addAll(clusterDns);
            List<String> clusterSearch = new ArrayList<>(List.of(pod.getMetadata().getNamespace() + ".svc." + clusterDomain,
                    "svc." + clusterDomain, clusterDomain));
            clusterSearch.addAll(searches);
            searches.clear();
            searches.addAll(new LinkedHashSet<>(clusterSearch));
            options.clear();
            options.add("ndots:5");
        } else if (cluster) {
            events.add(new PodWarning("MissingClusterDNS", "pod: \"" + podDescription + "\". kubelet does not have ClusterDNS IP configured "
                    + "and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy."));
        }
        PodDNSConfig config = pod.getSpec().getDnsConfig();
        if (config != null) {
            nameservers = new ArrayList<>(new LinkedHashSet<>(concat(nameservers, config.getNameservers())));
            searches = new ArrayList<>(new LinkedHashSet<>(concat(searches, config.getSearches())));
            options = mergeOptions(options, config.getOptions());
        }
        if (nameservers.size() > MAX_NAMESERVERS) {
            nameservers = new ArrayList<>(nameservers.subList(0, MAX_NAMESERVERS));
            events.add(new PodWarning("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been omitted, "
                    + "the applied nameserver line is: " + String.join(" ", nameservers)));
        }
        List<String> fitted = fitSearches(searches);
        if (fitted.size() < searches.size()) {
            events.add(new PodWarning("DNSConfigForming", "Search Line limits were exceeded, some search paths have been omitted, "
                    + "the applied search line is: " + String.join(" ", fitted)));
        }
        return new Result(nameservers, fitted, options, events);
    }

    private void parseHost(List<String> nameservers, List<String> searches, List<String> options) {
        for (String line : hostResolvConf.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            switch (fields[0]) {
                case "nameserver" -> {
                    if (fields.length >= 2) {
                        nameservers.add(fields[1]);
                    }
                }
                case "search" -> {
                    // The last search line wins; "example.com." and "example.com" count once.
                    searches.clear();
                    for (int i = 1; i < fields.length; i++) {
                        if (!fields[i].equals(".")) {
                            searches.add(fields[i].endsWith(".") ? fields[i].substring(0, fields[i].length() - 1) : fields[i]);
                        }
                    }
                }
                case "options" -> {
                    for (int i = 1; i < fields.length; i++) {
                        options.add(fields[i]);
                    }
                }
                default -> { }
            }
        }
    }

    private static List<String> mergeOptions(List<String> existing, List<PodDNSConfigOption> extra) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String op : existing) {
            int colon = op.indexOf(':');
            merged.put(colon < 0 ? op : op.substring(0, colon), colon < 0 ? "" : op.substring(colon + 1));
        }
        for (PodDNSConfigOption op : extra == null ? List.<PodDNSConfigOption>of() : extra) {
            merged.put(op.getName(), op.getValue() == null ? "" : op.getValue());
        }
        List<String> out = new ArrayList<>();
        merged.forEach((k, v) -> out.add(v.isEmpty() ? k : k + ":" + v));
        return out;
    }

    private static List<String> fitSearches(List<String> searches) {
        List<String> out = new ArrayList<>();
        int chars = 0;
        for (String s : searches) {
            int next = chars + (out.isEmpty() ? 0 : 1) + s.length();
            if (out.size() == MAX_SEARCHES || next > MAX_SEARCH_CHARS) {
                break;
            }
            out.add(s);
            chars = next;
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }
}
