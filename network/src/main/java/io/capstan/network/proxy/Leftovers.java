package io.capstan.network.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the chains an earlier run of this proxy left in a table: every CAPSTAN- chain reachable from its root chains.
 * Only reachability counts, never the prefix alone, because other agents and helpers on the host own CAPSTAN- chains too.
 */
final class Leftovers {

    private Leftovers() {}

    /** The chains of {@code iptables -t TABLE -S} output reachable from roots (roots included when they exist). */
    static List<String> reachable(String listing, Collection<String> roots) {
        Set<String> existing = new LinkedHashSet<>();
        Map<String, List<String>> targets = new HashMap<>();
        for (String line : listing.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("-N")) {
                existing.add(words[1]);
            } else if (words.length >= 2 && words[0].equals("-A")) {
                for (int i = 2; i + 1 < words.length; i++) {
                    if ((words[i].equals("-j") || words[i].equals("-g")) && words[i + 1].startsWith(ChainNames.PREFIX)) {
                        targets.computeIfAbsent(words[1], k -> new ArrayList<>()).add(words[i + 1]);
                    }
                }
            }
        }
        Set<String> found = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String chain = todo.pop();
            if (existing.contains(chain) && found.add(chain)) {
                todo.addAll(targets.getOrDefault(chain, List.of()));
            }
        }
        return List.copyOf(found);
    }
}
