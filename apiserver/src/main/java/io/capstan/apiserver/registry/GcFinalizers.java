package io.capstan.apiserver.registry;

import io.capstan.api.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The finalizers a delete leaves for the garbage collector, as kube-apiserver's generic store
 * decides them: `orphan` (dependents lose their owner reference) or `foregroundDeletion` (the
 * owner waits for its blocking dependents), from the propagation policy, else the finalizers
 * already on the object, else the kind's default.
 */
final class GcFinalizers {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";

    /** Kinds whose dependents are orphaned by default, for compatibility with their first API versions. */
    private static final Set<String> ORPHAN_BY_DEFAULT = Set.of("jobs.batch", "replicationcontrollers");

    private GcFinalizers() {}

    /** The object's finalizers after a delete with this policy (Orphan, Background, Foreground or null). */
    static List<String> forDelete(ResourceType type, String policy, List<String> current) {
        boolean orphan;
        boolean foreground;
        if (policy != null) {
            orphan = policy.equals("Orphan");
            foreground = policy.equals("Foreground");
        } else if (current.contains(ORPHAN) || current.contains(FOREGROUND)) {
            orphan = current.contains(ORPHAN);
            foreground = !orphan;
        } else {
            orphan = ORPHAN_BY_DEFAULT.contains(type.qualifiedResource());
            foreground = false;
        }
        List<String> next = new ArrayList<>(current);
        next.remove(orphan ? FOREGROUND : ORPHAN);
        if (!foreground) {
            next.remove(FOREGROUND);
        }
        String wanted = orphan ? ORPHAN : foreground ? FOREGROUND : null;
        if (wanted != null && !next.contains(wanted)) {
            next.add(wanted);
        }
        return next;
    }
}
