package io.capstan.controllers.gc;

import io.capstan.client.ApiClient;
import io.capstan.client.WorkQueue;
import io.capstan.client.ControllerLoop;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the garbage collector: its monitors, refreshed from discovery, and its workers. */
public final class GarbageCollectorController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollectorController.class);
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);

    private final ControllerLoop loop;
    private final GcMonitors monitors;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("gc-discovery").factory());

    public GarbageCollectorController(ApiClient api) {
        OwnerGraph graph = new OwnerGraph();
        WorkQueue<String> queue = new WorkQueue<>("garbage-collector");
        monitors = new GcMonitors(api, graph, queue);
        loop = new ControllerLoop("garbage-collector", queue, new GarbageCollector(api, graph, monitors::kindOf), 4);
    }

    public void start() {
        loop.start();
        timer.scheduleWithFixedDelay(() -> {
            try {
                monitors.resync();
            } catch (RuntimeException e) {
                LOG.debug("garbage collector discovery failed: {}", e.toString());
            }
        }, 0, DISCOVERY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        monitors.close();
        loop.close();
    }
}
