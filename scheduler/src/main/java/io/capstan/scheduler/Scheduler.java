package io.capstan.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.PersistentVolumes;
import io.capstan.api.PodResources;
import io.capstan.api.StatusException;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import io.capstan.scheduler.framework.ClusterState;
import io.capstan.scheduler.framework.Decision;
import io.capstan.scheduler.framework.DisruptionBudget;
import io.capstan.scheduler.framework.NodeInfo;
import io.capstan.scheduler.framework.PodInfo;
import io.capstan.scheduler.framework.Preemption;
import io.capstan.scheduler.framework.SchedulingAlgorithm;
import io.capstan.scheduler.framework.VolumeObjects;
import io.capstan.scheduler.plugins.DefaultPlugins;
import io.capstan.scheduler.plugins.VolumeBinding;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default scheduler: keeps a picture of nodes and placed pods from watches, takes pending
 * pods one at a time, asks the pure algorithm for a node, assumes the placement at once and
 * binds through pods/binding in the background; a pod that fits nowhere may preempt lower-priority
 * pods (it is nominated to their node and waits for them to go), and otherwise gets
 * PodScheduled=False and a FailedScheduling event, and waits until the cluster changes.
 */
public final class Scheduler implements AutoCloseable {

    public static final String NAME = "default-scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int BINDS_IN_FLIGHT = 64;

    private final ApiClient api;
    private final EventRecorder events;
    private final ClusterState cluster = new ClusterState();
    private final SchedulingQueue queue = new SchedulingQueue();
    private final SchedulingAlgorithm algorithm;
    private final Preemption preemption;
    private final VolumeBinding volumeBinding;
    private final ObjectCache pods;
    private final ObjectCache budgets;
    private final ExecutorService binders = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(BINDS_IN_FLIGHT);
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("scheduler-retry").factory());
    private Thread loop;

    /** Registers its handlers on the shared informers; call before they start. */
    public Scheduler(ApiClient api, SharedInformers informers) {
        this.api = api;
        this.events = EventRecorder.async(api, NAME, java.time.Clock.systemUTC());
        VolumeObjects volumes = new VolumeObjects(informers.of(Kinds.PERSISTENT_VOLUME_CLAIMS), informers.of(Kinds.PERSISTENT_VOLUMES),
                informers.of(Kinds.STORAGE_CLASSES));
        this.algorithm = new SchedulingAlgorithm(DefaultPlugins.filters(cluster::namespaceLabels, volumes),
                DefaultPlugins.scorers(cluster::namespaceLabels));
        this.preemption = new Preemption(algorithm);
        this.volumeBinding = new VolumeBinding(volumes);
        Informer.Handler storageChanged = new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                queue.clusterChanged(); // a claim bound, a volume or class appeared: pods waiting on them may fit
            }

            @Override
            public void updated(ObjectNode old, ObjectNode object) {
                if (!old.path("spec").equals(object.path("spec")) || !old.path("status").equals(object.path("status"))) {
                    queue.clusterChanged();
                }
            }
        };
        informers.of(Kinds.PERSISTENT_VOLUME_CLAIMS).addHandler(storageChanged);
        informers.of(Kinds.PERSISTENT_VOLUMES).addHandler(storageChanged);
        informers.of(Kinds.STORAGE_CLASSES).addHandler(storageChanged);
        Informer podInformer = informers.of(Kinds.PODS);
        this.pods = podInformer;
        podInformer.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                podChanged(pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                podChanged(pod);
            }

            @Override
            public void deleted(ObjectNode pod) {
                String uid = Json.text(pod, "metadata", "uid");
                queue.forget(ObjectCache.key(pod));
                if (cluster.isPlaced(uid)) {
                    cluster.removePod(uid);
                    queue.clusterChanged();
                }
            }
        });
        informers.of(Kinds.NAMESPACES).addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode ns) {
                cluster.setNamespaceLabels(Json.text(ns, "metadata", "name"), Json.labels(ns));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode ns) {
                added(ns);
            }

            @Override
            public void deleted(ObjectNode ns) {
                cluster.setNamespaceLabels(Json.text(ns, "metadata", "name"), null);
            }
        });
        this.budgets = informers.of(Kinds.POD_DISRUPTION_BUDGETS);
        informers.of(Kinds.NODES).addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode node) {
                cluster.upsertNode(NodeInfo.of(node));
                queue.clusterChanged();
            }

            @Override
            public void updated(ObjectNode old, ObjectNode node) {
                cluster.upsertNode(NodeInfo.of(node));
                if (schedulingRelevantChange(old, node)) {
                    queue.clusterChanged();
                }
            }

            @Override
            public void deleted(ObjectNode node) {
                cluster.removeNode(Json.text(node, "metadata", "name"));
            }
        });
    }

    public void start() {
        loop = Thread.ofPlatform().name("scheduler").daemon().start(this::run);
    }

    private void podChanged(ObjectNode pod) {
        String key = ObjectCache.key(pod);
        String uid = Json.text(pod, "metadata", "uid");
        if (isPending(pod)) {
            queue.add(key, pod.path("spec").path("priority").asInt(0));
            return;
        }
        queue.forget(key);
        String node = Json.text(pod, "spec", "nodeName");
        if (node != null && !node.isEmpty() && !PodResources.terminal(pod)) {
            cluster.placePod(PodInfo.of(pod));
        } else if (cluster.isPlaced(uid)) {
            cluster.removePod(uid); // finished pods free their node
            queue.clusterChanged();
        }
    }

    static boolean isPending(JsonNode pod) {
        String node = pod.path("spec").path("nodeName").asText("");
        String scheduler = pod.path("spec").path("schedulerName").asText(NAME);
        return node.isEmpty() && scheduler.equals(NAME) && !pod.path("metadata").hasNonNull("deletionTimestamp")
                && !PodResources.terminal(pod);
    }

    private static boolean schedulingRelevantChange(ObjectNode old, ObjectNode node) {
        return !old.path("spec").equals(node.path("spec")) || !old.path("metadata").path("labels").equals(node.path("metadata").path("labels"))
                || !old.path("status").path("allocatable").equals(node.path("status").path("allocatable"));
    }

    private void run() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                scheduleOne(key);
            } catch (RuntimeException e) {
                LOG.warn("scheduling {} failed: {}", key, e.toString());
            }
        }
    }

    private void scheduleOne(String key) {
        int slash = key.indexOf('/');
        ObjectNode pod = pods.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (pod == null || !isPending(pod)) {
            return;
        }
        PodInfo info = PodInfo.of(pod);
        if (cluster.isPlaced(info.uid())) {
            return; // assumed already, its binding is on the way
        }
        Decision decision;
        Preemption.Result preempted = null;
        synchronized (cluster) {
            decision = algorithm.schedule(info, cluster.nodes());
            if (decision.scheduled()) {
                cluster.placePod(info.on(decision.node()));
            } else if (decision.total() > 0) {
                List<DisruptionBudget> pdbs = budgets.list().stream().map(DisruptionBudget::of).toList();
                preempted = preemption.preempt(info, cluster.nodes(), pdbs, pod.path("status").path("nominatedNodeName").asText(""));
            }
        }
        if (!decision.scheduled()) {
            queue.parkUnschedulable(key);
            Preemption.Result p = preempted;
            String message = p == null || p.found() ? decision.message() : decision.message() + " preemption: " + p.message();
            binders.execute(() -> {
                if (p != null && p.found()) {
                    evict(pod, info, p);
                }
                reportUnschedulable(pod, message);
            });
            return;
        }
        inFlight.acquireUninterruptibly();
        binders.execute(() -> {
            try {
                bind(pod, info, decision.node());
            } finally {
                inFlight.release();
            }
        });
    }

    private void bind(ObjectNode pod, PodInfo info, String node) {
        try {
            selectNodeForClaims(info, node);
        } catch (RuntimeException e) {
            cluster.removePod(info.uid());
            LOG.debug("could not select {} for the claims of {}: {}", node, info.key(), e.toString());
            retries.schedule(() -> queue.add(info.key(), info.priority()), 1, TimeUnit.SECONDS);
            return;
        }
        ObjectNode binding = Json.object().put("apiVersion", "v1").put("kind", "Binding");
        binding.putObject("metadata").put("name", info.name()).put("namespace", info.namespace()).put("uid", info.uid());
        binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
        try {
            api.createSubresource(Kinds.PODS, info.namespace(), info.name(), "binding", binding);
            events.normal(pod, "Scheduled", "Successfully assigned " + info.namespace() + "/" + info.name() + " to " + node);
        } catch (RuntimeException e) {
            cluster.removePod(info.uid());
            if (e instanceof StatusException s && s.code() == 404) {
                return;
            }
            LOG.debug("binding {} to {} failed: {}", info.key(), node, e.toString());
            retries.schedule(() -> queue.add(info.key(), info.priority()), 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Tells the pod's unbound WaitForFirstConsumer claims the chosen node (Kubernetes' VolumeBinding
     * PreBind), for the binder to bind or provision there; the node agent starts the pod once they are Bound.
     */
    private void selectNodeForClaims(PodInfo pod, String node) {
        for (String claim : volumeBinding.claimsAwaitingNode(pod, node)) {
            ObjectNode annotations = Json.object().put(PersistentVolumes.SELECTED_NODE, node);
            api.patch(Kinds.PERSISTENT_VOLUME_CLAIMS, pod.namespace(), claim, "", ApiClient.MERGE_PATCH,
                    Json.object().set("metadata", Json.object().set("annotations", annotations)));
        }
    }

    /** Nominates the preemptor to the node, then deletes the victims there, as Kubernetes' preemption does. */
    private void evict(ObjectNode pod, PodInfo preemptor, Preemption.Result result) {
        try {
            api.patch(Kinds.PODS, preemptor.namespace(), preemptor.name(), "status", ApiClient.MERGE_PATCH,
                    Json.object().set("status", Json.object().put("nominatedNodeName", result.node())));
        } catch (RuntimeException e) {
            LOG.debug("could not nominate {} to {}: {}", preemptor.key(), result.node(), e.toString());
            return;
        }
        for (PodInfo victim : result.victims()) {
            pods.get(victim.namespace(), victim.name()).ifPresent(v -> {
                try {
                    ObjectNode condition = Json.object().put("type", "DisruptionTarget").put("status", "True")
                            .put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                            .put("reason", "PreemptionByScheduler").put("message", NAME + ": preempting to accommodate a higher priority pod");
                    ObjectNode status = Json.object();
                    status.putArray("conditions").add(condition);
                    api.patch(Kinds.PODS, victim.namespace(), victim.name(), "status", ApiClient.STRATEGIC_MERGE_PATCH,
                            Json.object().set("status", status));
                    api.delete(Kinds.PODS, victim.namespace(), victim.name(), null, victim.uid());
                    events.normal(v, "Preempted", "Preempted by pod " + preemptor.uid() + " on node " + result.node());
                } catch (RuntimeException e) {
                    LOG.debug("could not preempt {}: {}", victim.key(), e.toString());
                }
            });
        }
    }

    private void reportUnschedulable(ObjectNode pod, String message) {
        events.warning(pod, "FailedScheduling", message);
        ObjectNode condition = Json.object().put("type", "PodScheduled").put("status", "False").putNull("lastProbeTime")
                .put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("reason", "Unschedulable").put("message", message);
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("message").asText().equals(message)) {
                return; // already says so
            }
        }
        ObjectNode status = Json.object();
        status.putArray("conditions").add(condition);
        try {
            // A strategic merge would keep other conditions; a pending pod has no others worth keeping.
            api.patch(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), "status",
                    ApiClient.MERGE_PATCH, Json.object().set("status", status));
        } catch (RuntimeException e) {
            LOG.debug("could not mark {} unschedulable: {}", ObjectCache.key(pod), e.toString());
        }
    }

    @Override
    public void close() {
        queue.close();
        binders.shutdownNow();
        retries.shutdownNow();
        if (loop != null) {
            loop.interrupt();
        }
    }
}
