package io.capstan.network.routes;

import io.capstan.network.iptables.Iptables;
import io.capstan.network.iptables.IptablesException;
import java.util.List;

/**
 * The iptables rules of the pod network on one node: forwarding of pod traffic is accepted (hosts whose FORWARD
 * policy is DROP, as Docker sets it, would otherwise drop it), and pod traffic leaving the cluster CIDR is
 * masqueraded while traffic between pods, on this node or another, keeps the pod's address.
 *
 * <p>The chains are this node's own: CAPSTAN-FORWARD (filter) and CAPSTAN-POD-MASQ (nat) for the default bridge
 * cni0, else named after the bridge, so that several agents on one machine (tests) neither share nor remove
 * each other's chains.
 */
final class ForwardingRules {

    static final String DEFAULT_BRIDGE = "cni0";
    private static final String COMMENT = "capstan pod network";

    private final Iptables iptables;
    private final String clusterCidr;
    private final String podCidr;
    private final String forwardChain;
    private final String masqueradeChain;

    ForwardingRules(Iptables iptables, String bridge, String clusterCidr, String podCidr) {
        this.iptables = iptables;
        this.clusterCidr = clusterCidr;
        this.podCidr = podCidr;
        this.forwardChain = forwardChain(bridge);
        this.masqueradeChain = masqueradeChain(bridge);
    }

    static String forwardChain(String bridge) {
        return bridge.equals(DEFAULT_BRIDGE) ? "CAPSTAN-FORWARD" : "CAPSTAN-FWD-" + bridge;
    }

    static String masqueradeChain(String bridge) {
        return bridge.equals(DEFAULT_BRIDGE) ? "CAPSTAN-POD-MASQ" : "CAPSTAN-MSQ-" + bridge;
    }

    /** The chains' whole contents, in iptables-restore form (replacing what they held). */
    String rules() {
        return String.join("\n",
                "*filter",
                ":" + forwardChain + " - [0:0]",
                "-A " + forwardChain + " -s " + clusterCidr + " -m comment --comment \"" + COMMENT + "\" -j ACCEPT",
                "-A " + forwardChain + " -d " + clusterCidr + " -m comment --comment \"" + COMMENT + "\" -j ACCEPT",
                "COMMIT",
                "*nat",
                ":" + masqueradeChain + " - [0:0]",
                "-A " + masqueradeChain + " -s " + podCidr + " -d " + podCidr + " -m comment --comment \"pod to pod: keep the pod's address\" -j RETURN",
                "-A " + masqueradeChain + " -s " + podCidr + " -d " + clusterCidr + " -m comment --comment \"pod to pod: keep the pod's address\" -j RETURN",
                "-A " + masqueradeChain + " -s " + podCidr + " -d 224.0.0.0/4 -m comment --comment \"multicast\" -j RETURN",
                "-A " + masqueradeChain + " -s " + podCidr + " -m comment --comment \"pod traffic leaving the cluster\" -j MASQUERADE",
                "COMMIT",
                "");
    }

    /** Writes the chains and the jumps to them from FORWARD and POSTROUTING. */
    void apply() {
        iptables.restore(rules());
        iptables.ensureRule("filter", "FORWARD", jump(forwardChain));
        iptables.ensureRule("nat", "POSTROUTING", jump(masqueradeChain));
    }

    /** Removes the jumps and the chains (the agent is stopping, or a test cleans up after it). */
    void remove() {
        removeChain("filter", "FORWARD", forwardChain);
        removeChain("nat", "POSTROUTING", masqueradeChain);
    }

    private void removeChain(String table, String from, String chain) {
        try {
            iptables.deleteRule(table, from, jump(chain));
            iptables.iptables("-t", table, "-F", chain);
            iptables.iptables("-t", table, "-X", chain);
        } catch (IptablesException e) {
            // not there: nothing to remove
        }
    }

    private static List<String> jump(String chain) {
        return List.of("-m", "comment", "--comment", COMMENT, "-j", chain);
    }
}
