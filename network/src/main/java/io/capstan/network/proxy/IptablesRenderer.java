package io.capstan.network.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders a {@link ProxyModel} as the nat and filter rules of kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go),
 * with Capstan's chain names. A pure function: model and configuration in, rules out.
 *
 * <p>nat: CAPSTAN-SERVICES matches cluster IPs, load-balancer and external IPs and jumps to a per-port chain; the
 * last rule sends traffic to any local address on to CAPSTAN-NODEPORTS. A port's SVC chain spreads new connections
 * evenly over its endpoints with a cascade of {@code statistic --probability 1/n, 1/(n-1), ... } rules (session
 * affinity first checks the {@code recent} list each endpoint chain sets); each SEP chain DNATs to one endpoint.
 * EXT chains take external traffic: masqueraded and spread over all endpoints (externalTrafficPolicy Cluster), or
 * kept with its source address and sent to this node's endpoints only (Local). Marked packets are masqueraded in
 * CAPSTAN-POSTROUTING. filter: ports without endpoints are rejected, as kube-proxy does, instead of timing out.
 */
final class IptablesRenderer {

    static final String MASQ_MARK = "0x4000";

    private final ProxyConfig config;
    private final ChainNames names;

    IptablesRenderer(ProxyConfig config) {
        this.config = config;
        this.names = new ChainNames(config.chainTag());
    }

    ChainNames names() {
        return names;
    }

    RuleSet render(ProxyModel model) {
        RuleSet rules = new RuleSet();
        String services = names.services();
        String nodePorts = names.nodePorts();
        String masq = names.markMasq();
        String post = names.postrouting();
        rules.chain("nat", services).chain("nat", nodePorts).chain("nat", post).chain("nat", masq);
        rules.chain("filter", services).chain("filter", names.external());
        rules.add("nat", post, "-m mark ! --mark " + MASQ_MARK + "/" + MASQ_MARK + " -j RETURN");
        // Clear the mark so that a packet re-traversing the rules (e.g. on another bridge hop) is not masqueraded twice.
        rules.add("nat", post, "-j MARK --xor-mark " + MASQ_MARK);
        rules.add("nat", post, comment("capstan service traffic requiring SNAT") + " -j MASQUERADE");
        rules.add("nat", masq, "-j MARK --or-mark " + MASQ_MARK);

        for (ServicePort port : model.services().values()) {
            renderPort(rules, model, port);
        }
        rules.add("nat", services, comment("capstan service nodeports; NOTE: this must be the last rule in this chain")
                + " -m addrtype --dst-type LOCAL" + (config.localhostNodePorts() ? "" : " ! -d 127.0.0.0/8") + " -j " + nodePorts);
        return rules;
    }

    private void renderPort(RuleSet rules, ProxyModel model, ServicePort port) {
        ServicePortName name = port.name();
        String proto = port.protocol().toLowerCase(Locale.ROOT);
        String match = "-p " + proto + " -m " + proto;
        List<Endpoint> cluster = model.clusterEndpoints(port);
        List<Endpoint> local = model.localEndpoints(port);
        String svc = names.svc(name);
        String ext = names.ext(name);

        // Cluster IPs.
        for (String ip : port.clusterIPs()) {
            String dest = match + " -d " + ip + "/32 --dport " + port.port();
            if (cluster.isEmpty()) {
                rules.add("filter", names.services(), comment(name + " has no endpoints") + " " + dest + " -j REJECT");
            } else {
                rules.add("nat", names.services(), comment(name + " cluster IP") + " " + dest + " -j " + svc);
            }
        }
        if (!cluster.isEmpty()) {
            rules.chain("nat", svc);
            for (String ip : port.clusterIPs()) {
                // Traffic that did not come from a pod is masqueraded so that the endpoint's reply finds its way back.
                rules.add("nat", svc, comment(name + " cluster IP") + " " + match + " -d " + ip + "/32 --dport " + port.port()
                        + " ! -s " + config.podCidr() + " -j " + names.markMasq());
            }
            spread(rules, port, svc, cluster);
        }
        if (!port.external()) {
            return;
        }

        // Node ports, load-balancer and external IPs.
        List<Endpoint> externalTargets = port.externalLocal() ? local : cluster;
        Set<String> externalIPs = new LinkedHashSet<>(port.externalIPs());
        if (port.loadBalancer()) {
            externalIPs.addAll(config.nodeIPs());
        }
        if (externalTargets.isEmpty()) {
            String why = port.externalLocal() && !cluster.isEmpty() ? " has no local endpoints" : " has no endpoints";
            String verdict = port.externalLocal() && !cluster.isEmpty() ? " -j DROP" : " -j REJECT";
            for (String ip : externalIPs) {
                rules.add("filter", names.external(), comment(name + why) + " " + match + " -d " + ip + "/32 --dport " + port.port() + verdict);
            }
            if (port.nodePort() > 0) {
                rules.add("filter", names.external(), comment(name + why) + " -m addrtype --dst-type LOCAL " + match
                        + " --dport " + port.nodePort() + verdict);
            }
        }
        if (cluster.isEmpty()) {
            return;
        }
        for (String ip : externalIPs) {
            rules.add("nat", names.services(), comment(name + " external IP") + " " + match + " -d " + ip + "/32 --dport " + port.port()
                    + " -j " + ext);
        }
        if (port.nodePort() > 0) {
            rules.add("nat", names.nodePorts(), comment(name.toString()) + " " + match + " --dport " + port.nodePort() + " -j " + ext);
        }
        rules.chain("nat", ext);
        if (!port.externalLocal()) {
            rules.add("nat", ext, comment("masquerade traffic for " + name + " external destinations") + " -j " + names.markMasq());
            rules.add("nat", ext, "-j " + svc);
            return;
        }
        // Local: pods and the node itself may still use every endpoint; outside clients keep their address and go
        // to this node's endpoints only (the filter table drops them when there are none).
        rules.add("nat", ext, comment("pod traffic for " + name + " external destinations") + " -s " + config.podCidr() + " -j " + svc);
        rules.add("nat", ext, comment("masquerade LOCAL traffic for " + name + " external destinations")
                + " -m addrtype --src-type LOCAL -j " + names.markMasq());
        rules.add("nat", ext, comment("route LOCAL traffic for " + name + " external destinations")
                + " -m addrtype --src-type LOCAL -j " + svc);
        if (!local.isEmpty()) {
            String svl = names.svl(name);
            rules.chain("nat", svl);
            rules.add("nat", ext, "-j " + svl);
            spread(rules, port, svl, local);
        }
    }

    /** The affinity checks, the probability cascade, and one SEP chain per endpoint. */
    private void spread(RuleSet rules, ServicePort port, String chain, List<Endpoint> endpoints) {
        ServicePortName name = port.name();
        List<String> seps = new ArrayList<>();
        for (Endpoint e : endpoints) {
            seps.add(names.sep(name, e));
        }
        if (port.affinitySeconds() > 0) {
            for (int i = 0; i < endpoints.size(); i++) {
                rules.add("nat", chain, comment(name + " -> " + endpoints.get(i).address()) + " -m recent --name " + seps.get(i)
                        + " --mask 255.255.255.255 --rsource --rcheck --seconds " + port.affinitySeconds() + " --reap -j " + seps.get(i));
            }
        }
        int n = endpoints.size();
        for (int i = 0; i < n; i++) {
            String statistic = i < n - 1 ? " -m statistic --mode random --probability " + probability(n - i) : "";
            rules.add("nat", chain, comment(name + " -> " + endpoints.get(i).address()) + statistic + " -j " + seps.get(i));
        }
        String proto = port.protocol().toLowerCase(Locale.ROOT);
        for (int i = 0; i < n; i++) {
            Endpoint e = endpoints.get(i);
            String sep = seps.get(i);
            if (rules.chains("nat").containsKey(sep)) {
                continue; // already written for the SVC chain; the SVL chain shares it
            }
            rules.chain("nat", sep);
            // Hairpin: a pod reaching itself through the service must see the node as the source.
            rules.add("nat", sep, comment(name.toString()) + " -s " + e.ip() + "/32 -j " + names.markMasq());
            String affinity = port.affinitySeconds() > 0 ? " -m recent --name " + sep + " --mask 255.255.255.255 --rsource --set" : "";
            rules.add("nat", sep, comment(name.toString()) + " -p " + proto + affinity + " -m " + proto + " -j DNAT --to-destination " + e.address());
        }
    }

    /** 1/n with kube-proxy's ten decimals. */
    static String probability(int n) {
        return String.format(Locale.ROOT, "%.10f", 1.0 / n);
    }

    private static String comment(String text) {
        return "-m comment --comment \"" + text.replace("\"", "'") + "\"";
    }
}
