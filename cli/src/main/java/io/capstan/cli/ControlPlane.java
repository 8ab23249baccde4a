package io.capstan.cli;

import io.capstan.agent.simulated.SimulatedNodeConfig;
import io.capstan.agent.simulated.SimulatedNodes;
import io.capstan.client.ApiClient;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.ControllerManager;
import io.capstan.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * What runs beside the API server in `capstan server`, each reaching the API over loopback like a
 * remote component: controllers and scheduler on shared informers, and simulated nodes if asked.
 */
final class ControlPlane implements AutoCloseable {

    private final List<AutoCloseable> parts = new ArrayList<>();

    /**
     * Starts everything in order: handlers registered, informers started, then workers.
     *
     * @param withControllers false for `--disable-controller-manager` (as k3s names it)
     * @param withScheduler false for `--disable-scheduler`
     * @param localStoragePath where the local-path provisioner puts volumes on each node
     * @param caPem the cluster CA, published in every namespace as ConfigMap kube-root-ca.crt
     * @param clusterCidr the range from which every node gets its pod subnet
     */
    static ControlPlane start(ApiClient api, SimulatedNodeConfig simulated, boolean withControllers, boolean withScheduler,
                              String localStoragePath, String caPem, String clusterCidr) {
        ControlPlane plane = new ControlPlane();
        SharedInformers informers = new SharedInformers(api);
        plane.parts.add(informers);
        ControllerManager controllers = withControllers ? new ControllerManager(api, informers, localStoragePath, caPem, clusterCidr) : null;
        if (controllers != null) {
            controllers.register();
            plane.parts.add(controllers);
        }
        Scheduler scheduler = withScheduler ? new Scheduler(api, informers) : null;
        if (scheduler != null) {
            plane.parts.add(scheduler);
        }
        informers.start();
        if (controllers != null) {
            controllers.start();
        }
        if (scheduler != null) {
            scheduler.start();
        }
        if (simulated != null && simulated.count() > 0) {
            plane.parts.add(SimulatedNodes.start(api, simulated));
        }
        return plane;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                // shutting down: keep closing the rest
            }
        }
    }
}
