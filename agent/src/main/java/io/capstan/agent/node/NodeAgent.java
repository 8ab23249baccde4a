package io.capstan.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.pods.PodWorkers;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.ApiClient;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.image.ImageStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent, as a kubelet: registers its Node, renews its Lease every 10 s, reports its conditions
 * honestly (NotReady with the reason when the runtime cannot run containers) and runs the pods bound to it.
 * Started in order: register, then pod workers, then heartbeats.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    static final Duration LEASE_INTERVAL = Duration.ofSeconds(10);
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);

    /**
     * How the agent runs.
     *
     * @param port the port its streaming server listens on, reported as the Node's kubelet endpoint
     * @param podCidr the pod subnet the agent was given (--pod-cidr), registered as the Node's spec.podCIDR so that
     *     no other subnet is allocated to it; null to take the one the server allocates
     */
    public record Config(String nodeName, Path dataDir, int port, String podCidr) {}

    private final ApiClient api;
    private final Config config;
    private final ContainerRuntime runtime;
    private final ImageStore images;
    private final MachineInfo machine;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("node-heartbeat").factory());
    private final PodWorkers workers;
    private volatile String nodeUid;
    private volatile JsonNode lastStatus = Json.object();

    /**
     * @param machine this machine, as {@link MachineInfo#read} found it
     * @param workers the pod workers, made beforehand so that the streaming server can use them
     */
    public NodeAgent(ApiClient api, Config config, MachineInfo machine, ContainerRuntime runtime, ImageStore images, PodWorkers workers) {
        this.api = api;
        this.config = config;
        this.runtime = runtime;
        this.images = images;
        this.machine = machine;
        this.workers = workers;
    }

    public void start() {
        Optional<String> problem = runtime.unavailableReason();
        problem.ifPresent(p -> LOG.error("node {} cannot run containers: {}", config.nodeName(), p));
        register();
        if (problem.isEmpty()) {
            workers.start();
        }
        timers.scheduleAtFixedRate(this::renewLease, 0, LEASE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::reportStatus, STATUS_INTERVAL.toMillis(), STATUS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("node {} registered ({} cpu, {} MiB, {} at {})", config.nodeName(), machine.cpus(), machine.memoryBytes() >> 20,
                runtime.version(), machine.internalIp());
    }

    private ObjectNode status() {
        List<NodeObject.ImageEntry> imageList;
        try {
            imageList = images.list().stream().map(i -> new NodeObject.ImageEntry(
                    java.util.stream.Stream.concat(i.repoDigests().stream(), i.references().stream()).toList(), i.size())).toList();
        } catch (RuntimeException e) {
            imageList = List.of();
        }
        return NodeObject.status(config.nodeName(), machine, NodeHealth.read(config.dataDir(), runtime.unavailableReason()),
                runtime.version(), config.port(), imageList, lastStatus, clock.instant());
    }

    private void register() {
        ObjectNode status = status();
        try {
            ObjectNode created = api.create(Kinds.NODES, "", NodeObject.node(config.nodeName(), machine, status, config.podCidr()));
            nodeUid = Json.text(created, "metadata", "uid");
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
            nodeUid = Json.text(api.get(Kinds.NODES, "", config.nodeName()), "metadata", "uid");
        }
        writeStatus(status);
    }

    private void writeStatus(ObjectNode status) {
        api.patch(Kinds.NODES, "", config.nodeName(), "status", ApiClient.MERGE_PATCH, Json.object().set("status", status));
        lastStatus = status;
    }

    private void reportStatus() {
        try {
            writeStatus(status());
        } catch (RuntimeException e) {
            LOG.warn("node status update failed: {}", e.toString());
        }
    }

    private void renewLease() {
        try {
            NodeLease.renew(api, config.nodeName(), nodeUid, clock);
        } catch (RuntimeException e) {
            LOG.warn("lease renewal failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        workers.close();
    }
}
