package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.stats.PodStats;
import io.capstan.api.Json;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.runtime.ContainerRuntime;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ResourceUsage;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Resource usage of this node's pods: the runtime's running containers, grouped by their pod labels, each read
 * from its cgroup; pods are named as the agent's pod cache knows them. Also tells when pods first run.
 */
final class RuntimePodStats implements PodStats {

    private final ObjectCache pods;
    private final ContainerRuntime runtime;
    private final InstantSource clock;
    /** Pods seen but not yet running, by uid: when the agent first saw each. */
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    private final List<Consumer<Duration>> startListeners = new CopyOnWriteArrayList<>();

    RuntimePodStats(Informer pods, ContainerRuntime runtime, InstantSource clock) {
        this.pods = pods;
        this.runtime = runtime;
        this.clock = clock;
        pods.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                seen(pod);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                seen(pod);
            }

            @Override
            public void deleted(ObjectNode pod) {
                pending.remove(Json.text(pod, "metadata", "uid"));
            }
        });
    }

    /** A pod not yet running starts its clock; a pending one that now runs reports how long it took. */
    private void seen(ObjectNode pod) {
        String uid = Json.text(pod, "metadata", "uid");
        String phase = pod.path("status").path("phase").asText("Pending");
        if (phase.equals("Pending")) {
            pending.putIfAbsent(uid, clock.instant());
            return;
        }
        Instant since = pending.remove(uid);
        if (since != null && phase.equals("Running")) {
            Duration took = Duration.between(since, clock.instant());
            startListeners.forEach(l -> l.accept(took));
        }
    }

    @Override
    public void onPodStarted(Consumer<Duration> listener) {
        startListeners.add(listener);
    }

    @Override
    public List<PodReading> pods() {
        Map<String, List<ContainerReading>> byPod = new LinkedHashMap<>();
        Map<String, ContainerStatus> anyOf = new LinkedHashMap<>();
        for (ContainerStatus c : runtime.containers()) {
            if (c.state() != ContainerState.RUNNING) {
                continue;
            }
            Optional<ResourceUsage> usage = runtime.usage(c.id());
            if (usage.isEmpty()) {
                continue; // it stopped since the listing
            }
            String uid = RuntimeLabels.podUid(c);
            byPod.computeIfAbsent(uid, u -> new ArrayList<>()).add(new ContainerReading(RuntimeLabels.name(c), c.id(), c.startedAt(), usage.get()));
            anyOf.putIfAbsent(uid, c);
        }
        List<PodReading> readings = new ArrayList<>();
        byPod.forEach((uid, containers) -> {
            ContainerStatus c = anyOf.get(uid);
            String namespace = c.labels().getOrDefault(RuntimeLabels.POD_NAMESPACE, "");
            String name = c.labels().getOrDefault(RuntimeLabels.POD_NAME, "");
            Instant startedAt = pods.get(namespace, name).filter(p -> uid.equals(Json.text(p, "metadata", "uid")))
                    .map(p -> p.path("status").path("startTime").asText(null)).map(Instant::parse).orElse(null);
            readings.add(new PodReading(namespace, name, uid, startedAt, containers));
        });
        return readings;
    }
}
