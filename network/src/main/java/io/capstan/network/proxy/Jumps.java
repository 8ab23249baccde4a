package io.capstan.network.proxy;

import java.util.List;

/** The rules in the built-in chains that lead into the proxy's chains; ensured at start, removed at stop. */
final class Jumps {

    /** One rule in a built-in chain. */
    record Jump(String table, String chain, List<String> rule) {}

    private Jumps() {}

    static List<Jump> of(ChainNames names) {
        List<String> services = List.of("-m", "comment", "--comment", "capstan service portals", "-j", names.services());
        List<String> newServices = List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                "capstan service portals", "-j", names.services());
        return List.of(
                new Jump("nat", "PREROUTING", services),
                new Jump("nat", "OUTPUT", services),
                new Jump("nat", "POSTROUTING", List.of("-m", "comment", "--comment", "capstan postrouting rules", "-j", names.postrouting())),
                new Jump("filter", "INPUT", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                        "capstan externally-visible service portals", "-j", names.external())),
                new Jump("filter", "FORWARD", newServices),
                new Jump("filter", "FORWARD", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                        "capstan externally-visible service portals", "-j", names.external())),
                new Jump("filter", "OUTPUT", newServices));
    }

    /** The chains the jumps lead to: where a search for what a previous run left starts. */
    static List<String> roots(ChainNames names) {
        return List.of(names.services(), names.nodePorts(), names.postrouting(), names.markMasq(), names.external());
    }
}
