package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ready pod addresses behind an Ingress backend, read from the Service and its EndpointSlices, and a round-robin
 * pick among them. Traffic goes straight to the pods, as ingress-nginx sends it, not through the Service's IP.
 */
final class ServiceEndpoints {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final ObjectCache services;
    private final ObjectCache endpointSlices;
    private final Map<Backend, AtomicInteger> next = new ConcurrentHashMap<>();

    ServiceEndpoints(ObjectCache services, ObjectCache endpointSlices) {
        this.services = services;
        this.endpointSlices = endpointSlices;
    }

    /** The next endpoint for this backend in turn; empty when it has none ready (503). */
    Optional<InetSocketAddress> pick(Backend backend) {
        List<InetSocketAddress> ready = ready(backend);
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        int turn = next.computeIfAbsent(backend, b -> new AtomicInteger()).getAndIncrement();
        return Optional.of(ready.get(Math.floorMod(turn, ready.size())));
    }

    /** Every ready endpoint of the backend's service port, in a stable order. */
    List<InetSocketAddress> ready(Backend backend) {
        Optional<ObjectNode> service = services.get(backend.namespace(), backend.service());
        if (service.isEmpty() || "ExternalName".equals(service.get().path("spec").path("type").asText())) {
            return List.of();
        }
        JsonNode servicePort = null;
        for (JsonNode p : service.get().path("spec").path("ports")) {
            if (backend.portName() != null ? backend.portName().equals(p.path("name").asText())
                    : backend.port() == p.path("port").asInt()) {
                servicePort = p;
                break;
            }
        }
        if (servicePort == null) {
            return List.of();
        }
        // A slice names its ports as the Service does (unnamed: ""), with the pods' target port numbers.
        String portName = servicePort.path("name").asText("");
        Set<InetSocketAddress> found = new LinkedHashSet<>();
        List<ObjectNode> slices = new ArrayList<>(endpointSlices.byIndex(Indexes.NAMESPACE, backend.namespace()));
        slices.sort(java.util.Comparator.comparing(s -> s.path("metadata").path("name").asText()));
        for (ObjectNode slice : slices) {
            if (!backend.service().equals(slice.path("metadata").path("labels").path(SERVICE_NAME_LABEL).asText())
                    || "FQDN".equals(slice.path("addressType").asText())) {
                continue;
            }
            int port = slicePort(slice, portName);
            if (port <= 0) {
                continue;
            }
            for (JsonNode endpoint : slice.path("endpoints")) {
                // A missing ready condition means ready (discovery.k8s.io/v1); only the first address is used, as kube-proxy does.
                if (endpoint.path("conditions").path("ready").asBoolean(true) && endpoint.path("addresses").size() > 0) {
                    found.add(InetSocketAddress.createUnresolved(endpoint.path("addresses").path(0).asText(), port));
                }
            }
        }
        return List.copyOf(found);
    }

    private static int slicePort(ObjectNode slice, String name) {
        for (JsonNode p : slice.path("ports")) {
            if (name.equals(p.path("name").asText("")) && !"UDP".equals(p.path("protocol").asText()) && !"SCTP".equals(p.path("protocol").asText())) {
                return p.path("port").asInt(0);
            }
        }
        return 0;
    }
}
