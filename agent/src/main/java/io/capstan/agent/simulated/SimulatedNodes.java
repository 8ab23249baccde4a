package io.capstan.agent.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.node.NodeLease;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes that behave like kubelets without running anything (as kwok does): they register, renew
 * their Leases, start the pods bound to them (Running and Ready, with an IP), finish Job pods after
 * their simulated runtime, and remove pods that are being deleted. One instance carries every
 * simulated node with one pod informer, so a thousand nodes cost little.
 */
public final class SimulatedNodes implements Reconciler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedNodes.class);
    static final Duration LEASE_INTERVAL = Duration.ofSeconds(10);
    private static final int LEASE_SLICES = 20;
    /** How long a new node's pods wait for the node's pod subnet before taking one of 100.64.0.0/10. */
    static final Duration SUBNET_WAIT = Duration.ofSeconds(10);

    private final Api api;
    private final SimulatedNodeConfig config;
    private final Clock clock;
    private final ObjectCache pods;
    private final ObjectCache nodes;
    private final Map<String, Integer> nodeIndex = new ConcurrentHashMap<>();
    private final Map<String, Integer> nextIp = new ConcurrentHashMap<>();
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final ScheduledExecutorService leaseTimer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sim-leases").factory());
    private Informer podInformer;
    private Informer nodeInformer;
    private ControllerLoop loop;

    /** For tests: reads pods and nodes from the given caches; call {@link #reconcile} directly. */
    SimulatedNodes(Api api, SimulatedNodeConfig config, Clock clock, ObjectCache pods, ObjectCache nodes) {
        this.api = api;
        this.config = config;
        this.clock = clock;
        this.pods = pods;
        this.nodes = nodes;
        for (int i = 0; i < config.count(); i++) {
            nodeIndex.put(config.nodeName(i), i);
        }
    }

    private SimulatedNodes(ApiClient api, SimulatedNodeConfig config, Informer pods, Informer nodes) {
        this(api, config, Clock.systemUTC(), pods, nodes);
        this.podInformer = pods;
        this.nodeInformer = nodes;
    }

    /** Registers the nodes and starts simulating them against the API. */
    public static SimulatedNodes start(ApiClient api, SimulatedNodeConfig config) {
        SimulatedNodes sim = new SimulatedNodes(api, config, new Informer(api, Kinds.PODS, ""), new Informer(api, Kinds.NODES, ""));
        sim.run();
        return sim;
    }

    private void run() {
        try (var registering = java.util.concurrent.Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            for (int i = 0; i < config.count(); i++) {
                int index = i;
                registering.execute(() -> register(config.nodeName(index), index));
            }
        }
        loop = new ControllerLoop("simulated-pods", this, 8);
        podInformer.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                enqueueIfOurs(pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                enqueueIfOurs(pod);
            }

            @Override
            public void deleted(ObjectNode pod) {
                podIps.remove(Json.text(pod, "metadata", "uid"));
            }
        });
        nodeInformer.addHandler(new Informer.Handler() {
            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                healIfRunning(node);
                if (isStopped(old) && !isStopped(node)) {
                    resyncPodsOf(Json.text(node, "metadata", "name"));
                }
            }
        });
        loop.start();
        podInformer.start();
        nodeInformer.start();
        long slice = LEASE_INTERVAL.toMillis() / LEASE_SLICES;
        for (int s = 0; s < LEASE_SLICES; s++) {
            int part = s;
            leaseTimer.scheduleAtFixedRate(() -> renewLeases(part), s * slice, LEASE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("simulating {} nodes ({} cpu, {} memory, {} pods each)", config.count(), config.cpu(), config.memory(), config.pods());
    }

    private void enqueueIfOurs(ObjectNode pod) {
        String node = Json.text(pod, "spec", "nodeName");
        if (node != null && nodeIndex.containsKey(node)) {
            loop.queue().add(ObjectCache.key(pod));
        }
    }

    /** Moves one pod on: start it, finish it, or remove it once it is being deleted. */
    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode pod = pods.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (pod == null) {
            return Result.done();
        }
        String nodeName = Json.text(pod, "spec", "nodeName");
        if (nodeName == null || !nodeIndex.containsKey(nodeName) || stopped(nodeName)) {
            return Result.done(); // a stopped node, like a crashed machine, reports nothing
        }
        String ns = Json.text(pod, "metadata", "namespace");
        String name = Json.text(pod, "metadata", "name");
        String uid = Json.text(pod, "metadata", "uid");
        if (Json.at(pod, "metadata", "deletionTimestamp") != null) {
            try {
                api.deleteImmediately(Kinds.PODS, ns, name, uid);
            } catch (StatusException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
            }
            podIps.remove(uid);
            return Result.done();
        }
        String phase = Json.text(pod, "status", "phase");
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String hostIp = hostIp(nodeIndex.get(nodeName));
        if (phase == null || phase.equals("Pending")) {
            String podIp = podIp(nodeName, uid);
            if (podIp == null) {
                return Result.requeueAfter(Duration.ofMillis(250)); // the node's subnet is on its way, as a kubelet's network readiness
            }
            ObjectNode status = SimulatedPodStatus.running(pod, hostIp, podIp, now, now, wantsReady(pod));
            writeStatus(ns, name, status);
            return runsToCompletion(pod) ? Result.requeueAfter(runtime(pod)) : Result.done();
        }
        if (phase.equals("Running") && !runsToCompletion(pod) && wantsReady(pod) != isReady(pod)) {
            String podIp = Json.text(pod, "status", "podIP");
            String started = Json.text(pod, "status", "startTime");
            writeStatus(ns, name, SimulatedPodStatus.running(pod, hostIp, podIp == null ? podIp(nodeName, uid) : podIp,
                    started == null ? now : started, now, wantsReady(pod)));
            return Result.done();
        }
        if (phase.equals("Running") && runsToCompletion(pod)) {
            String started = Json.text(pod, "status", "startTime");
            Instant end = (started == null ? clock.instant() : Instant.parse(started)).plus(runtime(pod));
            Duration left = Duration.between(clock.instant(), end);
            if (left.compareTo(Duration.ofMillis(50)) > 0) {
                return Result.requeueAfter(left);
            }
            int exit = exitCode(pod);
            String podIp = Json.text(pod, "status", "podIP");
            writeStatus(ns, name, SimulatedPodStatus.finished(pod, hostIp, podIp == null ? podIp(nodeName, uid) : podIp, exit,
                    started == null ? now : started, now));
        }
        return Result.done();
    }

    private void writeStatus(String namespace, String name, ObjectNode status) {
        try {
            api.patch(Kinds.PODS, namespace, name, "status", ApiClient.MERGE_PATCH, Json.object().set("status", status));
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    /** Whether the pod should pass its (simulated) readiness probe: unless annotated capstan.io/simulated-ready=false. */
    private static boolean wantsReady(JsonNode pod) {
        return !"false".equals(pod.path("metadata").path("annotations").path(SimulatedNodeConfig.READY_ANNOTATION).asText());
    }

    private static boolean isReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    private static boolean runsToCompletion(JsonNode pod) {
        String policy = pod.path("spec").path("restartPolicy").asText("Always");
        return policy.equals("Never") || policy.equals("OnFailure");
    }

    /** The simulated runtime annotation: a Go-style duration ("1s", "500ms", "2m") or seconds; 1 s by default. */
    static Duration runtime(JsonNode pod) {
        String value = pod.path("metadata").path("annotations").path(SimulatedNodeConfig.RUNTIME_ANNOTATION).asText("1s").trim();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            char unit = value.charAt(value.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
            }
            double amount = Double.parseDouble(value.substring(0, value.length() - 1));
            return Duration.ofMillis((long) (amount * switch (unit) {
                case 's' -> 1000;
                case 'm' -> 60_000;
                case 'h' -> 3_600_000;
                default -> throw new NumberFormatException(value);
            }));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1);
        }
    }

    static int exitCode(JsonNode pod) {
        try {
            return Integer.parseInt(pod.path("metadata").path("annotations").path(SimulatedNodeConfig.EXIT_CODE_ANNOTATION).asText("0").trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private boolean stopped(String nodeName) {
        return nodes.get("", nodeName).map(SimulatedNodes::isStopped).orElse(false);
    }

    private static boolean isStopped(JsonNode node) {
        return "true".equals(node.path("metadata").path("annotations").path(SimulatedNodeConfig.STOPPED_ANNOTATION).asText());
    }

    /**
     * A pod IP from the node's spec.podCIDR, which the server's node IPAM controller allocates; null while a newly
     * registered node waits for it. A node that gets none (no controller, or the cluster CIDR is exhausted by
     * thousands of simulated nodes) uses its /24 of 100.64.0.0/10, a range no real network here uses.
     */
    private String podIp(String nodeName, String uid) {
        String known = podIps.get(uid);
        if (known != null) {
            return known;
        }
        ObjectNode node = nodes.get("", nodeName).orElse(null);
        String cidr = node == null ? null : Json.text(node, "spec", "podCIDR");
        long base;
        long size;
        if (cidr != null && !cidr.isEmpty()) {
            int slash = cidr.indexOf('/');
            base = parseIp(cidr.substring(0, slash));
            size = 1L << (32 - Integer.parseInt(cidr.substring(slash + 1)));
        } else if (node != null && young(node)) {
            return null;
        } else {
            base = parseIp(podCidr(nodeIndex.get(nodeName)).replace("/24", ""));
            size = 256;
        }
        long usable = Math.max(1, Math.min(size, 256) - 3); // not the network, the gateway (.1) nor the broadcast address
        return podIps.computeIfAbsent(uid, u -> ip(base + 2 + (nextIp.merge(nodeName, 1, Integer::sum) - 1) % usable));
    }

    /** Registered moments ago: its subnet may still be coming. */
    private boolean young(JsonNode node) {
        String created = Json.text(node, "metadata", "creationTimestamp");
        return created == null || Instant.parse(created).isAfter(clock.instant().minus(SUBNET_WAIT));
    }

    private static long parseIp(String address) {
        long v = 0;
        for (String octet : address.split("\\.")) {
            v = (v << 8) | Integer.parseInt(octet);
        }
        return v;
    }

    /** Node addresses from 198.18.0.0/15, the range reserved for benchmarks; nothing is ever sent to them. */
    static String hostIp(int index) {
        return ip((198L << 24) | (18L << 16) + 1 + index);
    }

    static String podCidr(int index) {
        long base = (100L << 24) | (64L << 16) | ((long) index << 8);
        return ip(base) + "/24";
    }

    private static String ip(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    private void register(String name, int index) {
        ObjectNode node = SimulatedNodeObject.node(name, index, config, clock.instant());
        try {
            api.create(Kinds.NODES, "", node);
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
            api.patch(Kinds.NODES, "", name, "status", ApiClient.MERGE_PATCH, Json.object().set("status", node.get("status")));
        }
    }

    /** A node started again looks at all its pods, as a restarted kubelet does: deletions it missed are finished now. */
    private void resyncPodsOf(String nodeName) {
        for (ObjectNode pod : pods.list()) {
            if (nodeName.equals(Json.text(pod, "spec", "nodeName"))) {
                loop.queue().add(ObjectCache.key(pod));
            }
        }
    }

    /** A restarted simulated node reports itself Ready again, as a kubelet does after a crash. */
    private void healIfRunning(ObjectNode node) {
        String name = Json.text(node, "metadata", "name");
        if (name == null || !nodeIndex.containsKey(name) || isStopped(node)) {
            return;
        }
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready") && !c.path("status").asText().equals("True")) {
                leaseTimer.execute(() -> {
                    try {
                        renewLease(name);
                        register(name, nodeIndex.get(name));
                    } catch (RuntimeException e) {
                        LOG.debug("could not mark {} Ready: {}", name, e.toString());
                    }
                });
            }
        }
    }

    private void renewLeases(int slice) {
        for (Map.Entry<String, Integer> e : nodeIndex.entrySet()) {
            if (e.getValue() % LEASE_SLICES == slice && !stopped(e.getKey())) {
                try {
                    renewLease(e.getKey());
                } catch (RuntimeException ex) {
                    LOG.debug("lease renewal of {} failed: {}", e.getKey(), ex.toString());
                }
            }
        }
    }

    private void renewLease(String name) {
        NodeLease.renew(api, name, nodes.get("", name).map(n -> Json.text(n, "metadata", "uid")).orElse(null), clock);
    }

    @Override
    public void close() {
        leaseTimer.shutdownNow();
        if (loop != null) {
            loop.close();
        }
        if (podInformer != null) {
            podInformer.close();
            nodeInformer.close();
        }
    }
}
