package io.capstan.scheduler.framework;

import java.util.List;

/** A feasibility check: prepared once per pod over the snapshot, then asked for each node. */
public interface FilterPlugin {

    /**
     * Kubernetes' PreFilter: why the pod fits no node whatever the node ("pod has unbound immediate
     * PersistentVolumeClaims"), said once in the FailedScheduling message; null when it may fit some.
     * When it says so, the plugin's checks refuse every node with the same words.
     */
    default String preFilter(PodInfo pod) {
        return null;
    }

    /** The check of this pod (may precompute over all nodes, e.g. counts per topology domain). */
    NodeCheck check(PodInfo pod, List<NodeInfo> nodes);

    /**
     * Whether evicting pods from a node could cure this reason (Kubernetes' Unschedulable, as
     * opposed to UnschedulableAndUnresolvable): only such nodes are tried for preemption.
     */
    default boolean preemptionMayHelp(String reason) {
        return false;
    }

    /** One pod's check against one node. */
    @FunctionalInterface
    interface NodeCheck {
        /** Why the pod cannot go there, in Kubernetes' words ("Insufficient cpu"); null when it can. */
        String reasonUnfit(NodeInfo node);
    }
}
