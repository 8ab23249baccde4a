package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.PodObjects;
import io.capstan.agent.env.EnvResolver;
import io.capstan.agent.probes.ProbeScheduler;
import io.capstan.agent.probes.Prober;
import io.capstan.agent.volumes.Mounter;
import io.capstan.agent.volumes.ResolvConf;
import io.capstan.agent.volumes.VolumeManager;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.function.Supplier;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.ControllerLoop;
import io.capstan.client.EventRecorder;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.Result;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.image.ImageStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods bound to one node: watches them (field selector spec.nodeName), syncs each on its own
 * key through a work queue, and sweeps away sandboxes whose pod is gone (force-deleted, or deleted while
 * the agent was down).
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(10);
    private static final int IMAGE_GC_HIGH_PERCENT = 85;

    private final Informer pods;
    private final PodSync sync;
    private final ContainerRuntime runtime;
    private final ImageStore images;
    private final String nodeName;
    private final ControllerLoop loop;
    private final List<Informer> references = new java.util.ArrayList<>();
    private final ScheduledExecutorService housekeeping =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pod-housekeeping").factory());

    /**
     * What the workers run pods with.
     *
     * @param clusterDns the cluster DNS servers ClusterFirst pods use (--cluster-dns); empty: the host's, with a warning
     */
    public record Config(String nodeName, String hostIp, ContainerRuntime runtime, ImageStore images, PodNetwork network,
                         PodDirectories dirs, Map<String, Quantity> allocatable, List<String> clusterDns, String clusterDomain) {

        /** Without cluster DNS. */
        public Config(String nodeName, String hostIp, ContainerRuntime runtime, ImageStore images, PodNetwork network,
                      PodDirectories dirs, Map<String, Quantity> allocatable) {
            this(nodeName, hostIp, runtime, images, network, dirs, allocatable, List.of(), "cluster.local");
        }
    }

    public PodWorkers(ApiClient api, Config config) {
        this.runtime = config.runtime();
        this.nodeName = config.nodeName();
        this.images = config.images();
        this.pods = new Informer(api, Kinds.PODS, "", Map.of("fieldSelector", "spec.nodeName=" + config.nodeName()));
        EventRecorder events = EventRecorder.async(api, "kubelet", Clock.systemUTC());
        this.loop = new ControllerLoop("pods-" + config.nodeName(), this::reconcile, 8);
        // What pods reference, cached: a ConfigMap change reaches mounted files on the next pass without a request.
        for (ResourceType type : List.of(Kinds.CONFIG_MAPS, Kinds.SECRETS, Kinds.PERSISTENT_VOLUME_CLAIMS, Kinds.PERSISTENT_VOLUMES)) {
            references.add(new Informer(api, type, ""));
        }
        PodObjects objects = new InformerPodObjects(references.get(0), references.get(1), references.get(2), references.get(3));
        Supplier<Map<String, Quantity>> allocatable = config::allocatable;
        PodServices services = new PodServices(new EnvResolver(objects, allocatable),
                new VolumeManager(config.dirs().dataDir().resolve("pods"), objects, new ApiTokenSource(api), Mounter.system(), allocatable),
                new ResolvConf(config.clusterDns(), config.clusterDomain(), hostResolvConf()),
                new PodProbes(new Prober(new RuntimeExecRunner(config.runtime()), "v1.32.0"), ProbeScheduler.virtualThreads(), Clock.systemUTC()),
                key -> loop.queue().add(key));
        this.sync = new PodSync(api, config.runtime(), config.images(), config.network(), config.dirs(), events, Clock.systemUTC(),
                config.hostIp(), services);
    }

    /** Logs and exec of this node's containers, for the streaming server. */
    public io.capstan.agent.server.PodStreams streams() {
        return new AgentPodStreams(pods, runtime);
    }

    /** Resource usage of this node's pods, for the stats and metrics endpoints; create before {@link #start}. */
    public io.capstan.agent.stats.PodStats stats() {
        return new RuntimePodStats(pods, runtime, Clock.systemUTC());
    }

    public void start() {
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                loop.queue().add(ObjectCache.key(pod));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                loop.queue().add(ObjectCache.key(pod));
            }

            @Override
            public void deleted(ObjectNode pod) {
                housekeeping.execute(PodWorkers.this::sweep);
            }
        });
        references.get(3).addHandler(new Informer.Handler() {
            @Override
            public void deleted(ObjectNode volume) {
                housekeeping.execute(() -> LocalPathCleanup.deleted(volume, nodeName));
            }
        });
        references.forEach(Informer::start);
        pods.start();
        loop.start();
        housekeeping.scheduleWithFixedDelay(this::sweep, HOUSEKEEPING.toMillis(), HOUSEKEEPING.toMillis(), TimeUnit.MILLISECONDS);
        // The kubelet's image GC: once the disk is 85% full, unused images go, least recently used first.
        housekeeping.scheduleWithFixedDelay(this::collectImages, 1, 5, TimeUnit.MINUTES);
    }

    private static String hostResolvConf() {
        try {
            return String.join("\n", java.nio.file.Files.readAllLines(ResolvConf.hostFile())) + "\n";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Result reconcile(String key) {
        int slash = key.indexOf('/');
        return pods.get(key.substring(0, slash), key.substring(slash + 1)).map(sync::sync).orElse(Result.done());
    }

    /** Removes sandboxes of pods that no longer exist here; waits for the informer's first list so no live pod is taken for gone. */
    private void sweep() {
        try {
            if (!pods.hasSynced()) {
                return;
            }
            Set<String> live = new HashSet<>();
            pods.list().forEach(p -> live.add(Json.text(p, "metadata", "uid")));
            for (SandboxInfo sandbox : runtime.sandboxes()) {
                String uid = RuntimeLabels.podUid(sandbox);
                if (!live.contains(uid)) {
                    LOG.info("removing sandbox {} of a pod that is gone", sandbox.id());
                    sync.cleanUp(uid, Duration.ofSeconds(2), null);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed: {}", e.toString());
        }
    }

    private void collectImages() {
        try {
            long freed = images.collectGarbage(IMAGE_GC_HIGH_PERCENT);
            if (freed > 0) {
                LOG.info("image garbage collection freed {} MiB", freed >> 20);
            }
        } catch (RuntimeException e) {
            LOG.warn("image garbage collection failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        loop.close();
        pods.close();
        references.forEach(Informer::close);
    }
}
