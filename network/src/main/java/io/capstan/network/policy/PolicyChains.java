package io.capstan.network.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns compiled pod rules into iptables chains of the filter table, all named CAPSTAN-NP-{tag}…: a top chain (jumped
 * to from FORWARD, which bridged pod traffic passes with bridge-nf-call-iptables on) that lets replies and the node's
 * own traffic through and sends each isolated pod's traffic to its egress chain (by source) and ingress chain (by
 * destination). A pod chain RETURNs what its policies allow, so a packet between two pods of the node is checked by
 * the sender's egress chain and then the receiver's ingress chain, and DROPs the rest.
 */
public final class PolicyChains {

    private final String top;

    /** @param tag what makes these chains this agent's own (another agent or test server on the host has another) */
    public PolicyChains(String tag) {
        this.top = "CAPSTAN-NP-" + tag;
    }

    /** A short tag for an agent's chains, from what is unique to it on the host (its pod bridge). */
    public static String tag(String instance) {
        return sha256(instance).substring(0, 6).toUpperCase(Locale.ROOT);
    }

    /** The chain FORWARD jumps to. */
    public String top() {
        return top;
    }

    /** Whether {@code chain} is one of these chains (the top chain or a pod's). */
    public boolean owns(String chain) {
        return chain.equals(top) || chain.startsWith(top + "-");
    }

    /** The chains for these pods, top chain first, each with its rules (iptables-save syntax without "-A CHAIN"). */
    public Map<String, List<String>> render(List<PodRules> pods) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        List<String> topRules = new ArrayList<>();
        topRules.add("-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
        // The node reaches its pods (probes, port-forward) whatever the policies say, as with every common CNI.
        topRules.add("-m addrtype --src-type LOCAL -j RETURN");
        chains.put(top, topRules);
        for (PodRules pod : pods) {
            String key = pod.namespace() + "/" + pod.name();
            pod.egress().ifPresent(allows -> {
                String chain = top + "-E" + shortHash(key);
                topRules.add("-s " + pod.ip() + "/32 -j " + chain);
                chains.put(chain, podChain(allows, "-d", pod.ip(), "egress", key));
            });
            pod.ingress().ifPresent(allows -> {
                String chain = top + "-I" + shortHash(key);
                topRules.add("-d " + pod.ip() + "/32 -j " + chain);
                chains.put(chain, podChain(allows, "-s", pod.ip(), "ingress", key));
            });
        }
        return chains;
    }

    private static List<String> podChain(List<Allow> allows, String remoteFlag, String ip, String direction, String pod) {
        List<String> rules = new ArrayList<>();
        // A pod can always reach itself (as through a Service that picks it).
        rules.add(remoteFlag + " " + ip + "/32 -j RETURN");
        for (Allow allow : allows) {
            if (allow.remote().contains(":")) {
                continue; // the pod network is IPv4; iptables cannot name an IPv6 block
            }
            StringBuilder rule = new StringBuilder();
            if (!allow.remote().isEmpty()) {
                rule.append(remoteFlag).append(' ').append(allow.remote()).append(' ');
            }
            if (!allow.protocol().isEmpty()) {
                String p = allow.protocol().toLowerCase(Locale.ROOT);
                rule.append("-p ").append(p).append(" -m ").append(p).append(' ');
                if (allow.fromPort() > 0) {
                    rule.append("--dport ").append(allow.fromPort());
                    if (allow.toPort() > allow.fromPort()) {
                        rule.append(':').append(allow.toPort());
                    }
                    rule.append(' ');
                }
            }
            rules.add(rule.append("-j RETURN").toString());
        }
        rules.add("-m comment --comment \"" + direction + " of " + pod + " not allowed by its policies\" -j DROP");
        return rules;
    }

    /** Eight hex digits of the pod's namespace/name: its chain names stay within iptables' 28 characters. */
    private static String shortHash(String pod) {
        return sha256(pod).substring(0, 8).toUpperCase(Locale.ROOT);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
