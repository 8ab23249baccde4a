package io.capstan.controllers.gc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every object by uid, and for each owner uid the uids of its dependents. */
final class OwnerGraph {

    private final Map<String, GraphNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> dependents = new ConcurrentHashMap<>();

    /** Records the object; returns the node it replaced, if any. */
    synchronized Optional<GraphNode> put(GraphNode node) {
        GraphNode old = nodes.put(node.uid(), node);
        if (old != null) {
            old.owners().forEach(o -> unlink(o.uid(), old.uid()));
        }
        node.owners().forEach(o -> dependents.computeIfAbsent(o.uid(), k -> ConcurrentHashMap.newKeySet()).add(node.uid()));
        return Optional.ofNullable(old);
    }

    synchronized void remove(String uid) {
        GraphNode old = nodes.remove(uid);
        if (old != null) {
            old.owners().forEach(o -> unlink(o.uid(), uid));
        }
    }

    Optional<GraphNode> node(String uid) {
        return Optional.ofNullable(nodes.get(uid));
    }

    /** The objects that name this uid as an owner. */
    List<GraphNode> dependents(String ownerUid) {
        Set<String> uids = dependents.get(ownerUid);
        return uids == null ? List.of() : uids.stream().map(nodes::get).filter(java.util.Objects::nonNull).toList();
    }

    private void unlink(String ownerUid, String dependentUid) {
        Set<String> set = dependents.get(ownerUid);
        if (set != null) {
            set.remove(dependentUid);
            if (set.isEmpty()) {
                dependents.remove(ownerUid);
            }
        }
    }
}
