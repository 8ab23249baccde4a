package io.capstan.apiserver.registry.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.GenericRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Service `kubernetes` in namespace default, its Endpoints and its EndpointSlice, pointing at the API server's
 * advertised address: put back in place every ten seconds, as kube-apiserver's bootstrap controller and endpoint
 * reconciler do, so deleting or editing them heals.
 */
public final class KubernetesService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesService.class);
    static final String NAME = "kubernetes";
    static final String NAMESPACE = "default";
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final GenericRegistry registry;
    private final String serviceIp;
    private final String address;
    private final int port;
    private ScheduledExecutorService timer;

    /**
     * @param address the API server's advertised address, where the Service's traffic goes
     * @param port the API server's HTTPS port
     */
    public KubernetesService(GenericRegistry registry, String address, int port) {
        this.registry = registry;
        this.serviceIp = registry.serviceAllocator().kubernetesServiceIp();
        this.address = address;
        this.port = port;
    }

    /** Puts everything in place now, then again every ten seconds. */
    public void start() {
        reconcile();
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("kubernetes-service").factory());
        timer.scheduleWithFixedDelay(this::reconcileQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("could not reconcile the kubernetes Service: {}", e.getMessage());
        }
    }

    /** One pass: the Service (only created, as kube-apiserver leaves a user's edits to it alone), Endpoints and slice (kept exact). */
    void reconcile() {
        if (registry.find(Kinds.SERVICES, NAMESPACE, NAME).isEmpty()) {
            create(Kinds.SERVICES, service());
        }
        ensure(Kinds.ENDPOINTS, endpoints(), "subsets");
        ensure(Kinds.ENDPOINT_SLICES, endpointSlice(), "addressType", "endpoints", "ports");
    }

    private void create(ResourceType type, ObjectNode obj) {
        try {
            registry.create(type, NAMESPACE, obj, false);
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    /** Creates obj, or sets the given fields and labels back to what obj has. */
    private void ensure(ResourceType type, ObjectNode want, String... fields) {
        ObjectNode have = registry.find(type, NAMESPACE, NAME).orElse(null);
        if (have == null) {
            create(type, want);
            return;
        }
        boolean same = have.path("metadata").path("labels").equals(want.path("metadata").path("labels"));
        for (String f : fields) {
            same &= have.path(f).equals(want.path(f));
        }
        if (!same) {
            registry.patch(type, NAMESPACE, NAME, "", current -> {
                for (String f : fields) {
                    current.set(f, want.get(f).deepCopy());
                }
                Json.with(current, "metadata").set("labels", want.path("metadata").path("labels").deepCopy());
                return current;
            }, false);
        }
    }

    ObjectNode service() {
        ObjectNode svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
        svc.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
                .put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec").put("type", "ClusterIP").put("clusterIP", serviceIp).put("sessionAffinity", "None");
        spec.putArray("clusterIPs").add(serviceIp);
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", port);
        return svc;
    }

    ObjectNode endpoints() {
        ObjectNode ep = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
        ep.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
                .put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", address);
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return ep;
    }

    ObjectNode endpointSlice() {
        ObjectNode slice = Json.object().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
        slice.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
                .put("kubernetes.io/service-name", NAME);
        slice.put("addressType", address.contains(":") ? "IPv6" : "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(address);
        endpoint.putObject("conditions").put("ready", true);
        slice.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return slice;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

}
