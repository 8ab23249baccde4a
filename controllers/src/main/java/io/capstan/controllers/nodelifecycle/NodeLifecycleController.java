package io.capstan.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.client.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches node health as kube-controller-manager's node lifecycle controller does: a node whose
 * Lease (and Ready heartbeat) has not moved for the grace period gets its kubelet conditions set
 * to Unknown, its pods marked not ready, and the NoExecute taint that lets the taint eviction
 * controller move its pods away; the taints go when the node is Ready again. It also keeps the
 * NoSchedule taints that mirror the node's conditions and spec.unschedulable.
 */
public final class NodeLifecycleController implements Reconciler {

    /** The key of the periodic pass that looks at every node (nodeMonitorPeriod). */
    static final String TICK = "";
    static final Duration MONITOR_PERIOD = Duration.ofSeconds(5);
    static final Duration GRACE = Duration.ofSeconds(40);
    static final Duration STARTUP_GRACE = Duration.ofSeconds(60);
    /** One NoExecute taint per zone every 10 s (evictionLimiterQPS 0.1), so a flapping network cannot empty a zone at once. */
    static final Duration TAINT_INTERVAL = Duration.ofSeconds(10);
    static final int LARGE_CLUSTER = 50;
    static final double UNHEALTHY_ZONE_THRESHOLD = 0.55;
    private static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
    private static final String LEASE_NAMESPACE = "kube-node-lease";

    /** What was last seen of a node's heartbeats, and when (by our clock, so skew does not matter). */
    private record Health(Instant probe, Instant leaseRenew, String readyHeartbeat) {}

    private final Api api;
    private final ObjectCache nodes;
    private final ObjectCache leases;
    private final ObjectCache pods;
    private final EventRecorder events;
    private final Clock clock;
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final Map<String, Instant> nextTaintByZone = new ConcurrentHashMap<>();
    private volatile WorkQueue<String> queue;

    public NodeLifecycleController(Api api, ObjectCache nodes, ObjectCache leases, ObjectCache pods, EventRecorder events, Clock clock) {
        this.api = api;
        this.nodes = nodes;
        this.leases = leases;
        this.pods = pods;
        this.events = events;
        this.clock = clock;
    }

    /** The queue the periodic pass fills with every node's name. */
    void queue(WorkQueue<String> queue) {
        this.queue = queue;
    }

    @Override
    public Result reconcile(String key) {
        if (key.equals(TICK)) {
            forgetDeleted();
            if (queue != null) {
                nodes.list().forEach(n -> queue.add(Json.text(n, "metadata", "name")));
            }
            return Result.requeueAfter(MONITOR_PERIOD);
        }
        ObjectNode node = nodes.get("", key).orElse(null);
        if (node == null) {
            return Result.done();
        }
        Instant now = clock.instant();
        Health seen = observe(key, node, now);
        JsonNode observedReady = condition(node, "Ready");
        String observed = observedReady == null ? "Unknown" : observedReady.path("status").asText("Unknown");
        Duration grace = observedReady == null ? STARTUP_GRACE : GRACE;
        if (now.isAfter(seen.probe().plus(grace))) {
            ObjectNode next = node.deepCopy();
            if (markUnknown(next, now)) {
                node = api.update(Kinds.NODES, "", key, "status", next);
            }
        }
        JsonNode currentReady = condition(node, "Ready");
        String current = currentReady == null ? "Unknown" : currentReady.path("status").asText("Unknown");
        if (observed.equals("True") && !current.equals("True")) {
            events.normal(node, "NodeNotReady", "Node " + key + " status is now: NodeNotReady");
        }
        if (!current.equals("True")) {
            markPodsNotReady(key, now);
        }
        Duration wait = syncTaints(node, current, now);
        return wait == null ? Result.done() : Result.requeueAfter(wait);
    }

    /** Updates what we know of the node's heartbeats; a renewed Lease or a new Ready heartbeat moves the probe time to now. */
    private Health observe(String name, ObjectNode node, Instant now) {
        Health saved = health.get(name);
        JsonNode ready = condition(node, "Ready");
        String heartbeat = ready == null ? null : ready.path("lastHeartbeatTime").asText(null);
        Instant renew = leases.get(LEASE_NAMESPACE, name).map(l -> parseTime(Json.text(l, "spec", "renewTime"))).orElse(null);
        Health next;
        if (saved == null) {
            events.normal(node, "RegisteredNode", "Node " + name + " event: Registered Node " + name + " in Controller");
            next = new Health(now, renew, heartbeat);
        } else {
            boolean renewed = renew != null && (saved.leaseRenew() == null || renew.isAfter(saved.leaseRenew()));
            boolean beat = heartbeat != null && !heartbeat.equals(saved.readyHeartbeat());
            next = renewed || beat ? new Health(now, renewed ? renew : saved.leaseRenew(), heartbeat) : saved;
        }
        health.put(name, next);
        return next;
    }

    private void forgetDeleted() {
        for (String name : List.copyOf(health.keySet())) {
            if (nodes.get("", name).isEmpty()) {
                health.remove(name);
                ObjectNode gone = Json.object().put("apiVersion", "v1").put("kind", "Node");
                gone.putObject("metadata").put("name", name);
                events.normal(gone, "RemovingNode", "Node " + name + " event: Removing Node " + name + " from Controller");
            }
        }
    }

    /** Sets the kubelet's conditions to Unknown, as tryUpdateNodeHealth does when the kubelet went silent; true when anything changed. */
    static boolean markUnknown(ObjectNode node, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = Json.with(node, "status");
        ArrayNode conditions = status.path("conditions").isArray() ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        boolean changed = false;
        for (String type : KUBELET_CONDITIONS) {
            ObjectNode c = (ObjectNode) condition(node, type);
            if (c == null) {
                conditions.addObject().put("type", type).put("status", "Unknown").put("reason", "NodeStatusNeverUpdated")
                        .put("message", "Kubelet never posted node status.")
                        .put("lastHeartbeatTime", Json.text(node, "metadata", "creationTimestamp"))
                        .put("lastTransitionTime", time);
                changed = true;
            } else if (!c.path("status").asText().equals("Unknown")) {
                c.put("status", "Unknown").put("reason", "NodeStatusUnknown").put("message", "Kubelet stopped posting node status.")
                        .put("lastTransitionTime", time);
                changed = true;
            }
        }
        return changed;
    }

    /** MarkPodsNotReady: every pod on the node whose Ready condition is True gets False, with a NodeNotReady event. */
    private void markPodsNotReady(String nodeName, Instant now) {
        for (ObjectNode pod : pods.byIndex(Indexes.NODE_NAME, nodeName)) {
            ArrayNode conditions = pod.path("status").path("conditions").isArray()
                    ? ((ArrayNode) pod.path("status").path("conditions")).deepCopy() : null;
            ObjectNode ready = null;
            for (JsonNode c : conditions == null ? Json.array() : conditions) {
                if (c.path("type").asText().equals("Ready")) {
                    ready = (ObjectNode) c;
                }
            }
            if (ready == null || !ready.path("status").asText().equals("True")) {
                continue;
            }
            ready.put("status", "False").put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
            ObjectNode patch = Json.object();
            patch.putObject("metadata").put("resourceVersion", Json.text(pod, "metadata", "resourceVersion"));
            patch.putObject("status").set("conditions", conditions);
            try {
                api.patch(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), "status",
                        ApiClient.MERGE_PATCH, patch);
                events.warning(pod, "NodeNotReady", "Node is not ready");
            } catch (StatusException e) {
                if (e.code() != 404) {
                    throw e; // a conflict: the next pass sees the newer pod
                }
            }
        }
    }

    /**
     * Brings the node's controller-owned taints in line with its state: NoSchedule taints mirroring
     * conditions and cordoning, and the NoExecute not-ready/unreachable taint (held back while the
     * zone is disrupted, and added at most one node per zone per TAINT_INTERVAL). Returns when to
     * look again if a taint had to wait, else null.
     */
    private Duration syncTaints(ObjectNode node, String ready, Instant now) {
        JsonNode original = node.path("spec").path("taints");
        JsonNode taints = original.isArray() ? original : Json.array();
        for (String key : NodeTaints.MANAGED_NO_SCHEDULE) {
            boolean wanted = key.equals(NodeTaints.UNSCHEDULABLE)
                    ? node.path("spec").path("unschedulable").asBoolean(false)
                    : conditionTaintWanted(node, key);
            taints = wanted ? NodeTaints.with(taints, key, NodeTaints.NO_SCHEDULE, now) : NodeTaints.without(taints, key, NodeTaints.NO_SCHEDULE);
        }
        Duration wait = null;
        String zone = zone(node);
        ZoneState state = zoneState(zone);
        String wantedKey = switch (ready) {
            case "True" -> null;
            case "False" -> NodeTaints.NOT_READY;
            default -> NodeTaints.UNREACHABLE;
        };
        if (wantedKey == null || state == ZoneState.FULL_DISRUPTION_EVERYWHERE) {
            taints = NodeTaints.without(NodeTaints.without(taints, NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE), NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE);
        } else {
            String opposite = wantedKey.equals(NodeTaints.NOT_READY) ? NodeTaints.UNREACHABLE : NodeTaints.NOT_READY;
            boolean swap = NodeTaints.has(taints, opposite, NodeTaints.NO_EXECUTE);
            if (!NodeTaints.has(taints, wantedKey, NodeTaints.NO_EXECUTE) && state != ZoneState.PARTIAL_DISRUPTION_STOPPED) {
                Instant allowed = nextTaintByZone.getOrDefault(zone, Instant.MIN);
                if (swap || !now.isBefore(allowed)) {
                    // Swapping one NoExecute taint for the other is immediate in Kubernetes too.
                    taints = NodeTaints.with(NodeTaints.without(taints, opposite, NodeTaints.NO_EXECUTE), wantedKey, NodeTaints.NO_EXECUTE, now);
                    if (!swap) {
                        nextTaintByZone.put(zone, now.plus(TAINT_INTERVAL));
                    }
                } else {
                    wait = Duration.between(now, allowed);
                }
            }
        }
        if (!taints.equals(original.isArray() ? original : Json.array())) {
            ObjectNode patch = Json.object();
            patch.putObject("metadata").put("resourceVersion", Json.text(node, "metadata", "resourceVersion"));
            if (taints.isEmpty()) {
                patch.putObject("spec").putNull("taints");
            } else {
                patch.putObject("spec").set("taints", taints);
            }
            api.patch(Kinds.NODES, "", Json.text(node, "metadata", "name"), "", ApiClient.MERGE_PATCH, patch);
        }
        return wait;
    }

    private static boolean conditionTaintWanted(JsonNode node, String taintKey) {
        for (JsonNode c : node.path("status").path("conditions")) {
            Map<String, String> byStatus = NodeTaints.CONDITION_TAINTS.get(c.path("type").asText());
            if (byStatus != null && taintKey.equals(byStatus.get(c.path("status").asText()))) {
                return true;
            }
        }
        return false;
    }

    enum ZoneState { NORMAL, PARTIAL_DISRUPTION_STOPPED, FULL_DISRUPTION_EVERYWHERE }

    /**
     * As handleDisruption decides: when no node of any zone is Ready the fault is probably ours (or
     * the network's), so nothing is evicted; a small zone with most nodes not ready stops tainting.
     */
    private ZoneState zoneState(String zone) {
        int ready = 0;
        int notReady = 0;
        boolean anyZoneHasReady = false;
        for (ObjectNode n : nodes.list()) {
            if (n.path("metadata").path("labels").has("node.kubernetes.io/exclude-disruption")) {
                continue;
            }
            JsonNode c = condition(n, "Ready");
            boolean isReady = c != null && c.path("status").asText().equals("True");
            anyZoneHasReady |= isReady;
            if (zone(n).equals(zone)) {
                if (isReady) {
                    ready++;
                } else {
                    notReady++;
                }
            }
        }
        if (!anyZoneHasReady && notReady > 0) {
            return ZoneState.FULL_DISRUPTION_EVERYWHERE;
        }
        int size = ready + notReady;
        if (ready > 0 && notReady > 2 && (double) notReady / size >= UNHEALTHY_ZONE_THRESHOLD && size <= LARGE_CLUSTER) {
            return ZoneState.PARTIAL_DISRUPTION_STOPPED;
        }
        return ZoneState.NORMAL;
    }

    private static String zone(JsonNode node) {
        JsonNode labels = node.path("metadata").path("labels");
        String region = labels.path("topology.kubernetes.io/region").asText(labels.path("failure-domain.beta.kubernetes.io/region").asText(""));
        String zone = labels.path("topology.kubernetes.io/zone").asText(labels.path("failure-domain.beta.kubernetes.io/zone").asText(""));
        return region + ":" + zone;
    }

    static JsonNode condition(JsonNode node, String type) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    private static Instant parseTime(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
