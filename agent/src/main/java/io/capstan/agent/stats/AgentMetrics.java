package io.capstan.agent.stats;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics, named as the kubelet's: pod start latency, runtime operation durations and
 * errors, containers started and restarted, and (read at each scrape) running pods and containers with their CPU
 * and memory as the kubelet's resource metrics and cAdvisor name them.
 */
public final class AgentMetrics {

    /** The Prometheus text format, version 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram podStart = Histogram.builder().name("kubelet_pod_start_duration_seconds")
            .help("Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run")
            // The kubelet's buckets, with two below half a second where a pod whose image is present starts.
            .classicOnly().classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480,
                    600, 900, 1200, 1800, 2700, 3600)
            .register(registry);
    private final Histogram operations = Histogram.builder().name("kubelet_runtime_operations_duration_seconds")
            .help("Duration in seconds of runtime operations. Broken down by operation type.").labelNames("operation_type")
            .classicOnly().classicExponentialUpperBounds(0.005, 2.5, 14).register(registry);
    private final Counter operationErrors = Counter.builder().name("kubelet_runtime_operations_errors_total")
            .help("Cumulative number of runtime operation errors by operation type.").labelNames("operation_type").register(registry);
    private final Counter started = Counter.builder().name("kubelet_started_containers_total")
            .help("Cumulative number of containers started").labelNames("container_type").register(registry);
    private final Counter restarted = Counter.builder().name("capstan_container_restarts_total")
            .help("Cumulative number of containers started again after an earlier instance of the same container ended")
            .labelNames("container_type").register(registry);

    /** Adds running pods and containers and their CPU and memory, read from {@code stats} at each scrape. */
    public AgentMetrics watch(NodeStats stats) {
        registry.register(new ResourceCollector(stats));
        return this;
    }

    /** Runs a runtime operation, timing it and counting it as an error when it throws. */
    public <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (RuntimeException e) {
            operationErrors.labelValues(operation).inc();
            throw e;
        } finally {
            operations.labelValues(operation).observe((System.nanoTime() - start) / 1e9);
        }
    }

    /** A container was started; {@code restart} when an earlier instance of it had ended. */
    public void containerStarted(boolean init, boolean restart) {
        String type = init ? "init_container" : "container";
        started.labelValues(type).inc();
        if (restart) {
            restarted.labelValues(type).inc();
        }
    }

    public void podStarted(Duration took) {
        podStart.observe(took.toNanos() / 1e9);
    }

    /** Writes every metric in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
