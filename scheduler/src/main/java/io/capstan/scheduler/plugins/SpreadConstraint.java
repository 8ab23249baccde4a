package io.capstan.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.LabelSelector;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One topology spread constraint of a pod, with Kubernetes' defaults applied (minDomains 1,
 * nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore) and matchLabelKeys folded into the selector.
 * The system default constraints select the pod's siblings by their controller instead of by labels.
 */
record SpreadConstraint(int maxSkew, String topologyKey, LabelSelector selector, String controllerUid, int minDomains,
                        boolean honorNodeAffinity, boolean honorTaints) {

    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    /** The pod's own constraints with this whenUnsatisfiable (DoNotSchedule or ScheduleAnyway). */
    static List<SpreadConstraint> of(PodInfo pod, String whenUnsatisfiable) {
        List<SpreadConstraint> out = new ArrayList<>();
        for (JsonNode c : pod.spec().path("topologySpreadConstraints")) {
            if (!c.path("whenUnsatisfiable").asText("").equals(whenUnsatisfiable)) {
                continue;
            }
            LabelSelector selector;
            try {
                selector = LabelSelector.fromJson(withMatchLabelKeys(c, pod.labels()));
            } catch (IllegalArgumentException e) {
                selector = LabelSelector.nothing();
            }
            out.add(new SpreadConstraint(c.path("maxSkew").asInt(1), c.path("topologyKey").asText(""), selector, "",
                    c.path("minDomains").asInt(1), !c.path("nodeAffinityPolicy").asText("Honor").equals("Ignore"),
                    c.path("nodeTaintsPolicy").asText("Ignore").equals("Honor")));
        }
        return out;
    }

    /**
     * Kubernetes' system default constraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) for
     * pods that have none of their own. Kubernetes selects by the labels of the pod's Services and
     * owning workload; Capstan by the owning controller, which the scheduler knows without more watches.
     */
    static List<SpreadConstraint> systemDefaults(PodInfo pod) {
        if (pod.controllerUid().isEmpty() || pod.spec().has("topologySpreadConstraints")) {
            return List.of();
        }
        return List.of(new SpreadConstraint(3, HOSTNAME, null, pod.controllerUid(), 1, true, false),
                new SpreadConstraint(5, ZONE, null, pod.controllerUid(), 1, true, false));
    }

    private static JsonNode withMatchLabelKeys(JsonNode c, Map<String, String> podLabels) {
        JsonNode selector = c.get("labelSelector");
        if (c.path("matchLabelKeys").isEmpty() || selector == null || selector.isNull()) {
            return selector;
        }
        Map<String, String> extra = new LinkedHashMap<>();
        c.path("matchLabelKeys").forEach(k -> {
            String v = podLabels.get(k.asText());
            if (v != null) {
                extra.put(k.asText(), v);
            }
        });
        if (extra.isEmpty()) {
            return selector;
        }
        var merged = selector.deepCopy();
        var exprs = ((com.fasterxml.jackson.databind.node.ObjectNode) merged).withArray("matchExpressions");
        extra.forEach((k, v) -> exprs.addObject().put("key", k).put("operator", "In").putArray("values").add(v));
        return merged;
    }

    /** Whether an existing pod counts for this constraint; an empty label selector counts nothing, as in Kubernetes. */
    boolean selects(PodInfo other, String namespace) {
        if (selector == null) {
            return controllerUid.equals(other.controllerUid());
        }
        return !selector.isEverything() && !other.terminating() && other.namespace().equals(namespace) && selector.matches(other.labels());
    }

    /** How many pods on the node count. */
    int count(NodeInfo node, String namespace) {
        if (selector == null) {
            return node.podsOf(controllerUid);
        }
        if (selector.isEverything()) {
            return 0;
        }
        int n = 0;
        for (PodInfo p : node.pods()) {
            if (selects(p, namespace)) {
                n++;
            }
        }
        return n;
    }

    /** Whether the node has every topology key of the constraints. */
    static boolean hasAllKeys(NodeInfo node, List<SpreadConstraint> constraints) {
        for (SpreadConstraint c : constraints) {
            if (!node.labels().containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }
}
