package io.capstan.network.policy;

import io.capstan.network.iptables.Iptables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps the host's filter table at the chains wanted, rewriting only what changed since the last write, with the
 * jump from FORWARD in place; and takes every one of its chains away again (also those a crashed run left).
 */
public final class PolicyEnforcer {

    private final Iptables iptables;
    private final PolicyChains chains;
    private Map<String, List<String>> applied;
    private boolean removed;

    public PolicyEnforcer(Iptables iptables, PolicyChains chains) {
        this.iptables = iptables;
        this.chains = chains;
    }

    /** Writes the chains for these pods; nothing after {@link #remove()}. */
    public synchronized void apply(List<PodRules> pods) {
        if (removed) {
            return;
        }
        Map<String, List<String>> wanted = chains.render(pods);
        if (applied == null) {
            applied = existing();
        }
        String script = RestoreScript.between(applied, wanted);
        if (!script.isEmpty()) {
            applied = null; // if the write fails, the next one starts from what is on the host
            iptables.restore(script);
        }
        applied = wanted;
        ensureJumpFirst();
    }

    /**
     * Keeps the jump ahead of every rule in FORWARD but other agents' policy jumps: a rule that accepts earlier (a
     * proxy's, a firewall's) would let traffic past the policies.
     */
    private void ensureJumpFirst() {
        List<String> rules = iptables.iptables("-t", "filter", "-S", "FORWARD").lines().filter(l -> l.startsWith("-A FORWARD ")).toList();
        for (String rule : rules) {
            if (rule.endsWith(" -j " + chains.top())) {
                return;
            }
            if (!rule.contains(" -j CAPSTAN-NP-")) {
                break;
            }
        }
        iptables.deleteRule("filter", "FORWARD", jump());
        iptables.iptables(Stream.concat(Stream.of("-t", "filter", "-I", "FORWARD", "1"), jump().stream()).toArray(String[]::new));
    }

    /** Removes the jump and every chain of this enforcer's tag; later applies do nothing. */
    public synchronized void remove() {
        removed = true;
        iptables.deleteRule("filter", "FORWARD", jump());
        String script = RestoreScript.between(existing(), Map.of());
        if (!script.isEmpty()) {
            iptables.restore(script);
        }
    }

    private List<String> jump() {
        return List.of("-m", "comment", "--comment", "capstan network policy", "-j", chains.top());
    }

    /** This tag's chains on the host, their rules unknown (given as empty lists, so that each is rewritten). */
    private Map<String, List<String>> existing() {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (String line : iptables.iptables("-t", "filter", "-S").split("\n")) {
            if (line.startsWith("-N ") && chains.owns(line.substring(3).strip())) {
                found.put(line.substring(3).strip(), List.of());
            }
        }
        return found;
    }
}
