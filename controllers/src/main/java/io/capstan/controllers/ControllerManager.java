package io.capstan.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Discovery;
import io.capstan.client.Informer;
import io.capstan.client.SharedInformers;
import io.capstan.controllers.clusterroleaggregation.ClusterRoleAggregationWiring;
import io.capstan.controllers.cronjob.CronJobWiring;
import io.capstan.controllers.daemonset.DaemonSetWiring;
import io.capstan.controllers.deployment.DeploymentWiring;
import io.capstan.controllers.disruption.DisruptionWiring;
import io.capstan.controllers.endpoints.EndpointsWiring;
import io.capstan.controllers.endpointslice.EndpointSliceWiring;
import io.capstan.controllers.gc.GarbageCollectorController;
import io.capstan.controllers.job.JobWiring;
import io.capstan.controllers.namespace.NamespaceController;
import io.capstan.controllers.nodeipam.NodeIpamWiring;
import io.capstan.controllers.nodelifecycle.NodeLifecycleWiring;
import io.capstan.controllers.nodelifecycle.TaintEvictionWiring;
import io.capstan.controllers.podgc.PodGcWiring;
import io.capstan.controllers.replicaset.ReplicaSetWiring;
import io.capstan.controllers.resourcequota.ResourceQuotaWiring;
import io.capstan.controllers.serviceaccount.ServiceAccountWiring;
import io.capstan.controllers.servicelb.ServiceLbWiring;
import io.capstan.controllers.statefulset.StatefulSetWiring;
import io.capstan.controllers.volume.VolumeWiring;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Registers every controller on the shared informers, starts them, and stops them together. */
public final class ControllerManager implements AutoCloseable {

    private final ApiClient api;
    private final SharedInformers informers;
    private final String localPathBase;
    private final String caPem;
    private final String clusterCidr;
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<ControllerLoop> loops = new ArrayList<>();

    /**
     * Controllers read through these informers; the caller starts them after {@link #register()}.
     *
     * @param localPathBase the directory on each node under which the local-path provisioner puts volumes
     * @param caPem the cluster CA the root CA publisher puts in every namespace (null: none published)
     * @param clusterCidr the range nodes' pod subnets come from (null: nodes get none, as --allocate-node-cidrs=false)
     */
    public ControllerManager(ApiClient api, SharedInformers informers, String localPathBase, String caPem, String clusterCidr) {
        this.api = api;
        this.informers = informers;
        this.localPathBase = localPathBase;
        this.caPem = caPem;
        this.clusterCidr = clusterCidr;
    }

    /** Adds every controller's handlers to the informers (before they start). */
    public void register() {
        Discovery discovery = new Discovery(api);
        ControllerLoop namespaceLoop = new ControllerLoop("namespace",
                new NamespaceController(api, Kinds.NAMESPACES, discovery::deletableKinds), 2);
        informers.of(Kinds.NAMESPACES).addHandler(enqueueTerminating(namespaceLoop));
        loops.add(namespaceLoop);
        loops.add(ReplicaSetWiring.register(api, informers, clock));
        loops.add(DeploymentWiring.register(api, informers, clock));
        loops.add(NodeLifecycleWiring.register(api, informers, clock));
        if (clusterCidr != null) {
            loops.add(NodeIpamWiring.register(api, informers, clock, clusterCidr));
        }
        loops.add(TaintEvictionWiring.register(api, informers, clock));
        loops.add(PodGcWiring.register(api, informers, clock));
        loops.add(DisruptionWiring.register(api, informers, clock));
        loops.addAll(JobWiring.register(api, informers, clock));
        loops.add(CronJobWiring.register(api, informers, clock));
        loops.add(StatefulSetWiring.register(api, informers, clock));
        loops.add(DaemonSetWiring.register(api, informers, clock));
        loops.addAll(VolumeWiring.register(api, informers, clock, localPathBase));
        loops.add(ClusterRoleAggregationWiring.register(api, informers));
        loops.addAll(ServiceAccountWiring.register(api, informers, caPem));
        loops.add(EndpointSliceWiring.register(api, informers, clock));
        loops.add(EndpointsWiring.register(api, informers, clock));
        loops.add(ServiceLbWiring.register(api, informers, clock));
        loops.add(ResourceQuotaWiring.register(api, informers));
    }

    /** Starts the workers and the garbage collector (which runs informers of its own, one per served kind). */
    public void start() {
        loops.forEach(ControllerLoop::start);
        running.addAll(loops);
        GarbageCollectorController gc = new GarbageCollectorController(api);
        gc.start();
        running.add(gc);
    }

    private static Informer.Handler enqueueTerminating(ControllerLoop loop) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode ns) {
                if (Json.at(ns, "metadata", "deletionTimestamp") != null) {
                    loop.queue().add(Json.text(ns, "metadata", "name"));
                }
            }

            @Override
            public void updated(ObjectNode old, ObjectNode ns) {
                added(ns);
            }
        };
    }

    @Override
    public void close() {
        for (AutoCloseable c : running.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping: nothing more to do
            }
        }
    }
}
