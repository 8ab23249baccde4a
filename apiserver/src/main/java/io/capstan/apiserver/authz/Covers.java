package io.capstan.apiserver.authz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Whether one set of rules grants everything another does, as Kubernetes' rbac validation.Covers
 * decides it: the wanted rules are broken into single group/resource/verb/name atoms and each atom
 * must be covered by one owner rule.
 */
final class Covers {

    private Covers() {}

    /** The atoms of {@code wanted} that {@code owner} does not cover; empty when it covers them all. */
    static List<PolicyRule> missing(List<PolicyRule> owner, List<PolicyRule> wanted) {
        List<PolicyRule> uncovered = new ArrayList<>();
        for (PolicyRule rule : wanted) {
            for (PolicyRule atom : breakdown(rule)) {
                if (owner.stream().noneMatch(o -> covers(o, atom))) {
                    uncovered.add(atom);
                }
            }
        }
        return uncovered;
    }

    static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> atoms = new ArrayList<>();
        for (String group : rule.apiGroups()) {
            for (String resource : rule.resources()) {
                for (String verb : rule.verbs()) {
                    if (rule.resourceNames().isEmpty()) {
                        atoms.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
                    } else {
                        for (String name : rule.resourceNames()) {
                            atoms.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
                        }
                    }
                }
            }
        }
        for (String url : rule.nonResourceURLs()) {
            for (String verb : rule.verbs()) {
                atoms.add(PolicyRule.urls(List.of(verb), List.of(url)));
            }
        }
        return atoms;
    }

    static boolean covers(PolicyRule owner, PolicyRule sub) {
        boolean verbs = owner.verbs().contains("*") || owner.verbs().containsAll(sub.verbs());
        boolean groups = owner.apiGroups().contains("*") || owner.apiGroups().containsAll(sub.apiGroups());
        boolean names = sub.resourceNames().isEmpty()
                ? owner.resourceNames().isEmpty()
                : owner.resourceNames().isEmpty() || owner.resourceNames().containsAll(sub.resourceNames());
        return verbs && groups && resourcesCover(owner.resources(), sub.resources()) && names
                && urlsCover(owner.nonResourceURLs(), sub.nonResourceURLs());
    }

    private static boolean resourcesCover(List<String> owner, List<String> wanted) {
        if (owner.contains("*") || owner.containsAll(wanted)) {
            return true;
        }
        for (String r : wanted) {
            if (owner.contains(r)) {
                continue;
            }
            int slash = r.indexOf('/');
            if (slash < 0 || !owner.contains("*/" + r.substring(slash + 1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean urlsCover(List<String> owner, List<String> wanted) {
        for (String path : wanted) {
            boolean covered = false;
            for (String o : owner) {
                if (o.equals(path) || o.endsWith("*") && path.startsWith(o.substring(0, o.length() - 1))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /**
     * Kubernetes' CompactRules: simple rules (one group, one resource, at most one name) for the same
     * resource and name merged into one rule with all their verbs; the rest kept as they are.
     */
    static List<PolicyRule> compact(List<PolicyRule> rules) {
        List<PolicyRule> out = new ArrayList<>();
        Map<List<String>, PolicyRule> simple = new LinkedHashMap<>();
        for (PolicyRule r : rules) {
            boolean isSimple = r.resourceNames().size() <= 1 && r.nonResourceURLs().isEmpty() && r.apiGroups().size() == 1
                    && r.resources().size() == 1;
            if (!isSimple) {
                out.add(r);
                continue;
            }
            List<String> key = List.of(r.apiGroups().getFirst(), r.resources().getFirst(),
                    r.resourceNames().isEmpty() ? "" : "=" + r.resourceNames().getFirst());
            simple.merge(key, r, (a, b) -> {
                LinkedHashSet<String> verbs = new LinkedHashSet<>(a.verbs());
                verbs.addAll(b.verbs());
                return new PolicyRule(List.copyOf(verbs), a.apiGroups(), a.resources(), a.resourceNames(), List.of());
            });
        }
        out.addAll(simple.values());
        return out;
    }
}
