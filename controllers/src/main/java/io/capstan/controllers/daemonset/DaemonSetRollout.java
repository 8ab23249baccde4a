package io.capstan.controllers.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.controllers.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DaemonSet's RollingUpdate (update.go): without surge, old pods are deleted while no more than
 * maxUnavailable nodes lack an available pod, and manage creates their replacements; with maxSurge,
 * a new pod starts next to an old one (at most maxSurge at a time) and the old one goes once the
 * new one is available.
 */
final class DaemonSetRollout {

    /** What a rolling-update pass asks for. */
    record Plan(List<ObjectNode> podsToDelete, List<String> nodesToCreate) {}

    private DaemonSetRollout() {}

    static int maxSurge(DaemonSetController.View view) {
        return surgeCount(view.ds(), 1);
    }

    static Plan plan(DaemonSetController.View view) {
        Map<String, List<ObjectNode>> byNode = new LinkedHashMap<>(view.podsByNode());
        Map<String, JsonNode> nodesByName = new LinkedHashMap<>();
        int desired = 0;
        for (ObjectNode node : view.nodes()) {
            String name = node.path("metadata").path("name").asText();
            nodesByName.put(name, node);
            if (view.fit(node).shouldRun()) {
                desired++;
                byNode.putIfAbsent(name, List.of());
            }
        }
        int maxUnavailable = unavailableCount(view.ds(), desired);
        int maxSurge = surgeCount(view.ds(), desired);
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) {
            maxUnavailable = 1; // an impossible configuration: accept unavailability, as Kubernetes does
        }
        String generation = DaemonPods.templateGeneration(view.ds());
        return maxSurge == 0
                ? withoutSurge(view, byNode, maxUnavailable, generation)
                : withSurge(view, byNode, nodesByName, maxSurge, desired, generation);
    }

    private static Plan withoutSurge(DaemonSetController.View view, Map<String, List<ObjectNode>> byNode, int maxUnavailable,
                                     String generation) {
        int unavailable = 0;
        List<ObjectNode> replacements = new ArrayList<>();
        List<ObjectNode> candidates = new ArrayList<>();
        for (List<ObjectNode> pods : byNode.values()) {
            NewAndOld pair = NewAndOld.of(pods, view.hash(), generation);
            if (pair == null || (pair.newPod() == null) == (pair.oldPod() == null)) {
                unavailable++; // manage sorts this node out first
            } else if (pair.newPod() != null) {
                unavailable += view.available(pair.newPod()) ? 0 : 1;
            } else if (!view.available(pair.oldPod())) {
                replacements.add(pair.oldPod());
                unavailable++;
            } else if (unavailable < maxUnavailable) {
                candidates.add(pair.oldPod());
            }
        }
        int room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.size());
        List<ObjectNode> delete = new ArrayList<>(replacements);
        delete.addAll(candidates.subList(0, room));
        return new Plan(delete, List.of());
    }

    private static Plan withSurge(DaemonSetController.View view, Map<String, List<ObjectNode>> byNode, Map<String, JsonNode> nodes,
                                  int maxSurge, int desired, String generation) {
        List<ObjectNode> delete = new ArrayList<>();
        List<ObjectNode> shouldNotRun = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        int surging = 0;
        int available = 0;
        for (Map.Entry<String, List<ObjectNode>> e : byNode.entrySet()) {
            NewAndOld pair = NewAndOld.of(e.getValue(), view.hash(), generation);
            if (pair == null) {
                surging++;
                continue;
            }
            ObjectNode counted = pair.oldPod() != null ? pair.oldPod() : pair.newPod();
            available += counted != null && view.available(counted) ? 1 : 0;
            if (pair.oldPod() == null) {
                continue;
            }
            JsonNode node = nodes.get(e.getKey());
            boolean shouldRun = node != null && view.fit(node).shouldRun();
            if (pair.newPod() == null) {
                if (!view.available(pair.oldPod())) {
                    if (!shouldRun) {
                        delete.add(pair.oldPod());
                    } else {
                        allowed.add(e.getKey());
                    }
                } else if (!shouldRun) {
                    shouldNotRun.add(pair.oldPod());
                } else if (surging < maxSurge) {
                    candidates.add(e.getKey());
                }
            } else if (!view.available(pair.newPod())) {
                surging++;
            } else {
                delete.add(pair.oldPod());
            }
        }
        // keep full availability: a pod on a node that no longer fits goes only once others cover for it
        int deletable = Math.min(Math.max(0, available - desired), shouldNotRun.size());
        delete.addAll(shouldNotRun.subList(0, deletable));
        int room = Math.min(Math.max(0, maxSurge - surging), candidates.size());
        List<String> create = new ArrayList<>(allowed);
        create.addAll(candidates.subList(0, room));
        return new Plan(delete, create);
    }

    /**
     * While surging a node may hold one old and one new pod: the new one stays, the old one stays
     * only while the new one is not available yet (and it is itself ready); every other pod goes.
     */
    static List<ObjectNode> surplusWhileSurging(DaemonSetController.View view, List<ObjectNode> runningOldestFirst) {
        List<ObjectNode> delete = new ArrayList<>();
        ObjectNode oldestNew = null;
        ObjectNode oldestOld = null;
        String generation = DaemonPods.templateGeneration(view.ds());
        for (ObjectNode pod : runningOldestFirst) {
            if (DaemonPods.updated(pod, view.hash(), generation)) {
                if (oldestNew == null) {
                    oldestNew = pod;
                    continue;
                }
            } else if (oldestOld == null) {
                oldestOld = pod;
                continue;
            }
            delete.add(pod);
        }
        if (oldestNew != null && oldestOld != null && (!Pods.ready(oldestOld) || view.available(oldestNew))) {
            delete.add(oldestOld);
        }
        return delete;
    }

    static int surgeCount(JsonNode ds, int total) {
        JsonNode strategy = ds.path("spec").path("updateStrategy");
        if (!strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")) {
            return 0;
        }
        return DaemonPods.scaled(strategy.path("rollingUpdate").get("maxSurge"), total, 0);
    }

    static int unavailableCount(JsonNode ds, int total) {
        JsonNode strategy = ds.path("spec").path("updateStrategy");
        if (!strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")) {
            return 0;
        }
        return DaemonPods.scaled(strategy.path("rollingUpdate").get("maxUnavailable"), total, 1);
    }

    /** At most one new and one old live pod on a node; null when there are more (manage prunes them first). */
    record NewAndOld(ObjectNode newPod, ObjectNode oldPod) {

        static NewAndOld of(List<ObjectNode> pods, String hash, String generation) {
            ObjectNode newPod = null;
            ObjectNode oldPod = null;
            for (ObjectNode pod : pods) {
                if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                    continue;
                }
                if (DaemonPods.updated(pod, hash, generation)) {
                    if (newPod != null) {
                        return null;
                    }
                    newPod = pod;
                } else {
                    if (oldPod != null) {
                        return null;
                    }
                    oldPod = pod;
                }
            }
            return new NewAndOld(newPod, oldPod);
        }
    }
}
