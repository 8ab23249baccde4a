package io.capstan.network.policy;

import java.util.List;
import java.util.Map;

/**
 * The iptables-restore input (for {@code --noflush}) that turns the chains last written into the chains wanted:
 * only chains whose rules changed are rewritten (declaring a chain flushes it), chains no longer wanted are deleted
 * once nothing jumps to them. So a change to one pod's policies touches only that pod's chains.
 */
final class RestoreScript {

    private RestoreScript() {}

    /** The script, or "" when nothing changed. A chain found on the host with unknown rules is given as an empty list. */
    static String between(Map<String, List<String>> previous, Map<String, List<String>> wanted) {
        StringBuilder declare = new StringBuilder();
        StringBuilder rules = new StringBuilder();
        StringBuilder delete = new StringBuilder();
        wanted.forEach((chain, chainRules) -> {
            if (!chainRules.equals(previous.get(chain))) {
                declare.append(':').append(chain).append(" - [0:0]\n");
                chainRules.forEach(r -> rules.append("-A ").append(chain).append(' ').append(r).append('\n'));
            }
        });
        // Old chains are emptied first: one may still jump to another that goes away too.
        previous.keySet().stream().filter(chain -> !wanted.containsKey(chain)).forEach(chain -> {
            declare.append(':').append(chain).append(" - [0:0]\n");
            delete.append("-X ").append(chain).append('\n');
        });
        if (declare.isEmpty()) {
            return "";
        }
        return "*filter\n" + declare + rules + delete + "COMMIT\n";
    }
}
