package io.capstan.scheduler.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.client.fake.FakeCache;
import io.capstan.scheduler.plugins.DefaultPlugins;
import java.util.Map;

/** A hand-built cluster for scheduler tests: nodes with labels and cpu, pods written as JSON. */
final class Snapshot {

    final ClusterState cluster = new ClusterState();
    final FakeCache claims = new FakeCache();
    final FakeCache volumes = new FakeCache();
    final FakeCache classes = new FakeCache();
    final VolumeObjects volumeObjects = new VolumeObjects(claims, volumes, classes);
    final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultPlugins.filters(cluster::namespaceLabels, volumeObjects),
            DefaultPlugins.scorers(cluster::namespaceLabels));

    Snapshot node(String name, String cpu, Map<String, String> labels) {
        ObjectNode n = Json.object();
        ObjectNode meta = n.putObject("metadata").put("name", name);
        labels.forEach(Json.with(meta, "labels")::put);
        n.putObject("status").putObject("allocatable").put("cpu", cpu).put("memory", "32Gi").put("pods", "110");
        cluster.upsertNode(NodeInfo.of(n));
        return this;
    }

    /** A pod from JSON text (metadata.namespace defaults to "default"; uid to "uid-" + name). */
    static PodInfo pod(String json) {
        try {
            ObjectNode p = (ObjectNode) Json.MAPPER.readTree(json);
            ObjectNode meta = Json.with(p, "metadata");
            if (!meta.has("namespace")) {
                meta.put("namespace", "default");
            }
            meta.put("uid", "uid-" + meta.path("name").asText());
            if (!p.path("spec").has("containers")) {
                Json.with(p, "spec").putArray("containers").addObject().put("name", "c").put("image", "i");
            }
            return PodInfo.of(p);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    PodInfo place(String node, String json) {
        PodInfo p = pod(json).on(node);
        cluster.placePod(p);
        return p;
    }

    Decision schedule(String json) {
        return algorithm.schedule(pod(json), cluster.nodes());
    }

    /** Schedules the pod and places it where it went. */
    String scheduleAndPlace(String json) {
        PodInfo p = pod(json);
        Decision d = algorithm.schedule(p, cluster.nodes());
        if (d.scheduled()) {
            cluster.placePod(p.on(d.node()));
        }
        return d.node();
    }
}
