package io.capstan.agent.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.runtime.ResourceUsage;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's resource usage as the kubelet's {@code /stats/summary} reports it (stats/v1alpha1 Summary): the
 * node's and every running container's CPU and memory. Readings are taken every ten seconds, as cAdvisor's
 * housekeeping does, and on each request, so the first answer already carries a CPU rate.
 */
public final class NodeStats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeStats.class);
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);
    static final String NODE_KEY = "node";

    /** One reading of everything: the node's window and each running container's, by container id. */
    public record Sample(HostUsage.Reading host, UsageRates.Window node, List<PodStats.PodReading> pods,
                         Map<String, UsageRates.Window> containers) {}

    private final String nodeName;
    private final PodStats pods;
    private final HostUsage host;
    private final Instant startTime;
    private final UsageRates rates = new UsageRates();
    private final ScheduledExecutorService sampler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("stats-sampler").factory());

    public NodeStats(String nodeName, PodStats pods, HostUsage host, InstantSource clock) {
        this.nodeName = nodeName;
        this.pods = pods;
        this.host = host;
        this.startTime = clock.instant();
    }

    public void start() {
        sampler.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                LOG.debug("stats sample failed: {}", e.toString());
            }
        }, 0, SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the node and its containers now; rates come from this reading and the one kept before it. */
    public Sample sample() {
        HostUsage.Reading machine = host.read();
        UsageRates.Window node = rates.record(NODE_KEY, machine.usage());
        List<PodStats.PodReading> running = pods.pods();
        Map<String, UsageRates.Window> containers = new HashMap<>();
        Set<String> live = new HashSet<>(Set.of(NODE_KEY));
        for (PodStats.PodReading pod : running) {
            for (PodStats.ContainerReading c : pod.containers()) {
                containers.put(c.id(), rates.record(c.id(), c.usage()));
                live.add(c.id());
            }
        }
        rates.retain(live);
        return new Sample(machine, node, running, containers);
    }

    /** The kubelet's Summary of a fresh sample. */
    public ObjectNode summary() {
        return summary(nodeName, startTime, sample());
    }

    static ObjectNode summary(String nodeName, Instant startTime, Sample sample) {
        ObjectNode doc = Json.object();
        ObjectNode node = doc.putObject("node").put("nodeName", nodeName).put("startTime", startTime.toString());
        cpu(node.putObject("cpu"), sample.node());
        memory(node.putObject("memory"), sample.node().latest()).put("usageBytes", sample.host().usageBytes())
                .put("availableBytes", sample.host().availableBytes());
        ArrayNode pods = doc.putArray("pods");
        for (PodStats.PodReading p : sample.pods()) {
            ObjectNode pod = pods.addObject();
            pod.putObject("podRef").put("name", p.name()).put("namespace", p.namespace()).put("uid", p.uid());
            if (p.startedAt() != null) {
                pod.put("startTime", p.startedAt().toString());
            }
            ArrayNode containers = pod.putArray("containers");
            long podNanoCores = 0;
            long podCpu = 0;
            long podMemory = 0;
            boolean rateKnown = true;
            Instant latest = null;
            for (PodStats.ContainerReading c : p.containers()) {
                UsageRates.Window w = sample.containers().get(c.id());
                ObjectNode container = containers.addObject().put("name", c.name());
                if (c.startedAt() != null) {
                    container.put("startTime", c.startedAt().toString());
                }
                cpu(container.putObject("cpu"), w);
                memory(container.putObject("memory"), w.latest());
                OptionalLong rate = w.nanoCores();
                rateKnown &= rate.isPresent();
                podNanoCores += rate.orElse(0);
                podCpu += w.latest().cpuUsageNanos();
                podMemory += w.latest().memoryWorkingSetBytes();
                latest = latest == null || w.latest().at().isAfter(latest) ? w.latest().at() : latest;
            }
            if (latest != null) {
                ObjectNode cpu = pod.putObject("cpu").put("time", latest.toString());
                if (rateKnown) {
                    cpu.put("usageNanoCores", podNanoCores);
                }
                cpu.put("usageCoreNanoSeconds", podCpu);
                pod.putObject("memory").put("time", latest.toString()).put("workingSetBytes", podMemory);
            }
        }
        return doc;
    }

    /** CPU stats; usageNanoCores only once there is a rate, as the kubelet leaves it out before cAdvisor has two samples. */
    private static void cpu(ObjectNode cpu, UsageRates.Window w) {
        cpu.put("time", w.latest().at().toString());
        w.nanoCores().ifPresent(n -> cpu.put("usageNanoCores", n));
        cpu.put("usageCoreNanoSeconds", w.latest().cpuUsageNanos());
    }

    private static ObjectNode memory(ObjectNode memory, ResourceUsage latest) {
        return memory.put("time", latest.at().toString()).put("workingSetBytes", latest.memoryWorkingSetBytes());
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
