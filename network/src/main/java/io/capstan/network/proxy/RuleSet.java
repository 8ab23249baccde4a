package io.capstan.network.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The proxy's own chains with their rules, per table ("nat", "filter"), and how to get from one set to the next with
 * {@code iptables-restore --noflush}: only chains whose rules changed are written, chains gone are deleted.
 */
final class RuleSet {

    static final List<String> TABLES = List.of("nat", "filter");

    private final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();

    RuleSet() {
        TABLES.forEach(t -> tables.put(t, new LinkedHashMap<>()));
    }

    /** Declares chain in table (kept even when it gets no rules). */
    RuleSet chain(String table, String chain) {
        tables.get(table).computeIfAbsent(chain, c -> new ArrayList<>());
        return this;
    }

    /** Appends a rule: {@code args} as iptables-restore reads them after "-A CHAIN". */
    RuleSet add(String table, String chain, String args) {
        tables.get(table).computeIfAbsent(chain, c -> new ArrayList<>()).add(args);
        return this;
    }

    Map<String, List<String>> chains(String table) {
        return tables.get(table);
    }

    /** The whole set as iptables-save shows it (for tests and debugging). */
    String text() {
        return restoreInput(new RuleSet());
    }

    /**
     * iptables-restore input that turns {@code previous} (what was written last; a chain known only by name maps to
     * null rules and is rewritten) into this set. Every changed chain is declared (which flushes it) before any rule,
     * and chains that are gone are deleted last, once no rewritten chain jumps to them. Empty when nothing changed.
     */
    String restoreInput(RuleSet previous) {
        StringBuilder out = new StringBuilder();
        for (String table : TABLES) {
            Map<String, List<String>> now = tables.get(table);
            Map<String, List<String>> before = previous.tables.get(table);
            List<String> changed = now.keySet().stream()
                    .filter(c -> !before.containsKey(c) || !Objects.equals(before.get(c), now.get(c))).toList();
            List<String> gone = before.keySet().stream().filter(c -> !now.containsKey(c)).toList();
            if (changed.isEmpty() && gone.isEmpty()) {
                continue;
            }
            out.append('*').append(table).append('\n');
            changed.forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
            gone.forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
            for (String c : changed) {
                now.get(c).forEach(r -> out.append("-A ").append(c).append(' ').append(r).append('\n'));
            }
            gone.forEach(c -> out.append("-X ").append(c).append('\n'));
            out.append("COMMIT\n");
        }
        return out.toString();
    }

    /** A set holding these chains by name with unknown rules: what a previous run may have left. */
    static RuleSet leftovers(Map<String, List<String>> chainsByTable) {
        RuleSet set = new RuleSet();
        chainsByTable.forEach((table, chains) -> chains.forEach(c -> set.tables.get(table).put(c, null)));
        return set;
    }
}
