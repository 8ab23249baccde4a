package io.capstan.network.proxy;

import io.capstan.network.iptables.Iptables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the host's iptables in line with the model: the jumps from the built-in chains are ensured once, then each
 * sync writes only the chains that changed since the last one (and deletes chains no longer wanted, including those an
 * earlier run left behind). Closing removes the jumps and every chain of this proxy.
 */
final class IptablesProxier implements ProxyBackend {

    private static final Logger LOG = LoggerFactory.getLogger(IptablesProxier.class);

    private final Iptables iptables;
    private final IptablesRenderer renderer;
    private RuleSet written;

    IptablesProxier(Iptables iptables, ProxyConfig config) {
        this.iptables = iptables;
        this.renderer = new IptablesRenderer(config);
    }

    /** Ensures the root chains and the jumps to them; remembers what an earlier run left, to rewrite or delete it. */
    synchronized void init() {
        for (Jumps.Jump jump : Jumps.of(renderer.names())) {
            iptables.ensureChain(jump.table(), jump.rule().getLast());
            iptables.ensureRule(jump.table(), jump.chain(), jump.rule());
        }
        written = leftovers();
    }

    /** Programs the model; on failure the next call rewrites everything. */
    @Override
    public synchronized void sync(ProxyModel model) {
        RuleSet next = renderer.render(model);
        String input = next.restoreInput(written);
        if (input.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            iptables.restore(input);
            written = next;
        } catch (RuntimeException e) {
            written = leftovers();
            throw e;
        }
        LOG.debug("service proxy: wrote {} lines in {} ms", input.lines().count(), (System.nanoTime() - start) / 1_000_000);
    }

    private RuleSet leftovers() {
        Map<String, List<String>> chains = new HashMap<>();
        for (String table : RuleSet.TABLES) {
            chains.put(table, Leftovers.reachable(iptables.iptables("-t", table, "-S"), Jumps.roots(renderer.names())));
        }
        return RuleSet.leftovers(chains);
    }

    @Override
    public synchronized void close() {
        try {
            for (Jumps.Jump jump : Jumps.of(renderer.names())) {
                iptables.deleteRule(jump.table(), jump.chain(), jump.rule());
            }
            String input = new RuleSet().restoreInput(leftovers());
            if (!input.isEmpty()) {
                iptables.restore(input);
            }
        } catch (RuntimeException e) {
            LOG.warn("service proxy: could not remove its iptables rules: {}", e.getMessage());
        }
    }
}
