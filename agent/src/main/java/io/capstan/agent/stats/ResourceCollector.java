package io.capstan.agent.stats;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Reads the node at each scrape into the kubelet's resource metrics (node_ and container_cpu_usage_seconds_total,
 * _memory_working_set_bytes, with cAdvisor's container, pod and namespace labels) and its running pod and
 * container gauges.
 */
final class ResourceCollector implements MultiCollector {

    private final NodeStats stats;

    ResourceCollector(NodeStats stats) {
        this.stats = stats;
    }

    @Override
    public MetricSnapshots collect() {
        NodeStats.Sample sample = stats.sample();
        CounterSnapshot.Builder containerCpu = CounterSnapshot.builder().name("container_cpu_usage_seconds")
                .help("Cumulative cpu time consumed by the container in core-seconds");
        GaugeSnapshot.Builder containerMemory = GaugeSnapshot.builder().name("container_memory_working_set_bytes")
                .help("Current working set of the container in bytes");
        int pods = 0;
        int containers = 0;
        for (PodStats.PodReading pod : sample.pods()) {
            pods += pod.containers().isEmpty() ? 0 : 1;
            for (PodStats.ContainerReading c : pod.containers()) {
                containers++;
                Labels labels = Labels.of("container", c.name(), "namespace", pod.namespace(), "pod", pod.name());
                containerCpu.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                        .value(c.usage().cpuUsageNanos() / 1e9).build());
                containerMemory.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                        .value(c.usage().memoryWorkingSetBytes()).build());
            }
        }
        return MetricSnapshots.of(
                CounterSnapshot.builder().name("node_cpu_usage_seconds")
                        .help("Cumulative cpu time consumed by the node in core-seconds")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .value(sample.host().usage().cpuUsageNanos() / 1e9).build()).build(),
                gauge("node_memory_working_set_bytes", "Current working set of the node in bytes", sample.host().usage().memoryWorkingSetBytes()),
                containerCpu.build(),
                containerMemory.build(),
                gauge("kubelet_running_pods", "Number of pods that have a running pod sandbox", pods),
                GaugeSnapshot.builder().name("kubelet_running_containers").help("Number of containers currently running")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("container_state", "running"))
                                .value(containers).build()).build());
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
