package io.capstan.apiserver.authz;

import io.capstan.apiserver.auth.UserInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Roles, ClusterRoles and bindings in memory, with bindings indexed by subject so that finding a
 * user's rules touches only the bindings that name the user or one of the user's groups.
 * Writes are serialized; reads take no lock.
 */
public final class RbacPolicy {

    /** The rules a user holds somewhere, and why some could not be found (a binding to a missing role). */
    public record Resolution(List<PolicyRule> rules, List<String> errors) {}

    /** Receives rules in turn; returns false to stop. */
    @FunctionalInterface
    interface RuleVisitor {
        boolean visit(PolicyRule rule);
    }

    private final Map<String, List<PolicyRule>> roles = new ConcurrentHashMap<>();
    private final Map<String, List<PolicyRule>> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
    /** subject key -> keys of cluster role bindings naming it. */
    private final Map<String, Set<String>> clusterBySubject = new ConcurrentHashMap<>();
    /** namespace -> subject key -> keys of role bindings naming it there. */
    private final Map<String, Map<String, Set<String>>> namespacedBySubject = new ConcurrentHashMap<>();

    public void putRole(String namespace, String name, List<PolicyRule> rules) {
        roles.put(namespace + "/" + name, List.copyOf(rules));
    }

    public void removeRole(String namespace, String name) {
        roles.remove(namespace + "/" + name);
    }

    public void putClusterRole(String name, List<PolicyRule> rules) {
        clusterRoles.put(name, List.copyOf(rules));
    }

    public void removeClusterRole(String name) {
        clusterRoles.remove(name);
    }

    public synchronized void putBinding(Binding binding) {
        String key = key(binding.namespace(), binding.name());
        removeBinding(binding.namespace(), binding.name());
        bindings.put(key, binding);
        Map<String, Set<String>> index = index(binding.namespace());
        for (String subject : binding.subjects()) {
            index.compute(subject, (k, v) -> {
                Set<String> next = v == null ? new HashSet<>() : new HashSet<>(v);
                next.add(key);
                return Set.copyOf(next);
            });
        }
    }

    public synchronized void removeBinding(String namespace, String name) {
        String key = key(namespace, name);
        Binding old = bindings.remove(key);
        if (old == null) {
            return;
        }
        Map<String, Set<String>> index = index(namespace);
        for (String subject : old.subjects()) {
            index.computeIfPresent(subject, (k, v) -> {
                Set<String> next = new HashSet<>(v);
                next.remove(key);
                return next.isEmpty() ? null : Set.copyOf(next);
            });
        }
    }

    /** Forgets every object of one kind ("roles", "clusterroles", "rolebindings", "clusterrolebindings") before a reload. */
    public synchronized void clear(String resource) {
        switch (resource) {
            case "roles" -> roles.clear();
            case "clusterroles" -> clusterRoles.clear();
            case "rolebindings", "clusterrolebindings" -> {
                boolean cluster = resource.equals("clusterrolebindings");
                for (Binding b : List.copyOf(bindings.values())) {
                    if (b.namespace().isEmpty() == cluster) {
                        removeBinding(b.namespace(), b.name());
                    }
                }
            }
            default -> throw new IllegalArgumentException(resource);
        }
    }

    private Map<String, Set<String>> index(String namespace) {
        return namespace.isEmpty() ? clusterBySubject : namespacedBySubject.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /**
     * Visits the rules bound to the user: from cluster role bindings, then from role bindings in
     * namespace (none when namespace is empty). Collects errors for bindings to missing roles.
     *
     * @return whether the visitor stopped the walk
     */
    boolean visit(UserInfo user, String namespace, RuleVisitor visitor, List<String> errors) {
        Set<String> seen = new HashSet<>();
        if (walk(user, clusterBySubject, visitor, errors, seen)) {
            return true;
        }
        if (namespace.isEmpty()) {
            return false;
        }
        Map<String, Set<String>> index = namespacedBySubject.get(namespace);
        return index != null && walk(user, index, visitor, errors, seen);
    }

    private boolean walk(UserInfo user, Map<String, Set<String>> index, RuleVisitor visitor, List<String> errors, Set<String> seen) {
        if (walkKey(index.get(Binding.userKey(user.name())), visitor, errors, seen)) {
            return true;
        }
        for (String group : user.groups()) {
            if (walkKey(index.get(Binding.groupKey(group)), visitor, errors, seen)) {
                return true;
            }
        }
        return false;
    }

    private boolean walkKey(Set<String> bindingKeys, RuleVisitor visitor, List<String> errors, Set<String> seen) {
        if (bindingKeys == null) {
            return false;
        }
        for (String key : bindingKeys) {
            Binding b = bindings.get(key);
            if (b == null || !seen.add(key)) {
                continue;
            }
            List<PolicyRule> rules = roleRules(b.roleKind(), b.namespace(), b.roleName());
            if (rules == null) {
                errors.add(notFound(b.roleKind(), b.roleName()));
                continue;
            }
            for (PolicyRule r : rules) {
                if (!visitor.visit(r)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The rules of the role a binding refers to, or null when it does not exist. */
    public List<PolicyRule> roleRules(String kind, String namespace, String name) {
        return switch (kind) {
            case "ClusterRole" -> clusterRoles.get(name);
            case "Role" -> namespace.isEmpty() ? null : roles.get(namespace + "/" + name);
            default -> null;
        };
    }

    /** What Kubernetes' listers say of a missing role: clusterrole.rbac.authorization.k8s.io "x" not found. */
    static String notFound(String kind, String name) {
        return kind.toLowerCase() + ".rbac.authorization.k8s.io \"" + name + "\" not found";
    }

    /** Every rule the user holds in namespace (cluster-wide ones included). */
    public Resolution rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        visit(user, namespace, r -> rules.add(r) || true, errors);
        return new Resolution(List.copyOf(rules), List.copyOf(errors));
    }
}
