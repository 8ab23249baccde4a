package io.capstan.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.api.LabelSelector;
import io.capstan.api.FieldSelector;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.Lister;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where pods/NAME/proxy and services/NAME/proxy lead, as kube-apiserver's ResourceLocation finds it: a pod's IP
 * and port (the first declared container port when none is given), or a ready endpoint of a service's port.
 */
final class ProxyLocations {

    private static final ResourceRegistry BUILTINS = ResourceRegistry.withBuiltins();
    private static final ResourceType ENDPOINTS = BUILTINS.find("", "v1", "endpoints").orElseThrow();
    private static final ResourceType ENDPOINT_SLICES = BUILTINS.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();

    private final GenericRegistry registry;
    private final Lister lister;

    ProxyLocations(GenericRegistry registry) {
        this.registry = registry;
        this.lister = new Lister(registry.store());
    }

    /** scheme://podIP[:port] for pods/ID/proxy. */
    URI pod(String namespace, String id) {
        SchemeNamePort target = SchemeNamePort.parse(id)
                .orElseThrow(() -> StatusException.badRequest("invalid pod request \"" + id + "\""));
        ObjectNode pod = registry.get(Kinds.PODS, namespace, target.name());
        String port = target.port();
        if (port.isEmpty()) {
            for (JsonNode c : pod.path("spec").path("containers")) {
                if (!c.path("ports").isEmpty()) {
                    port = c.path("ports").get(0).path("containerPort").asText();
                    break;
                }
            }
        }
        String ip = pod.path("status").path("podIP").asText("");
        if (!globalUnicast(ip)) {
            throw StatusException.badRequest("address not allowed");
        }
        return URI.create(target.schemeOrHttp() + "://" + hostPort(ip, port));
    }

    /** scheme://endpointIP:port for services/ID/proxy: a random ready address serving the named (or numbered) service port. */
    URI service(String namespace, String id) {
        SchemeNamePort target = SchemeNamePort.parse(id)
                .orElseThrow(() -> StatusException.badRequest("invalid service request \"" + id + "\""));
        String portName = target.port();
        int number = target.portNumber();
        if (number >= 0) {
            ObjectNode svc = registry.get(Kinds.SERVICES, namespace, target.name());
            portName = null;
            for (JsonNode p : svc.path("spec").path("ports")) {
                if (p.path("port").asInt() == number) {
                    portName = p.path("name").asText("");
                    break;
                }
            }
            if (portName == null) {
                throw serviceUnavailable("no service port " + number + " found for service \"" + target.name() + "\"");
            }
        }
        List<String> candidates = endpoints(namespace, target.name(), portName);
        if (candidates.isEmpty()) {
            throw serviceUnavailable("no endpoints available for service \"" + target.name() + "\"");
        }
        return URI.create(target.schemeOrHttp() + "://" + candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
    }

    /**
     * "ip:port" of every ready address for the port: from the v1 Endpoints as kube-apiserver reads them, or,
     * where there is none, from the Service's EndpointSlices (what Capstan's other components consume).
     */
    private List<String> endpoints(String namespace, String service, String portName) {
        List<String> found = new ArrayList<>();
        var endpoints = registry.find(ENDPOINTS, namespace, service);
        if (endpoints.isPresent()) {
            for (JsonNode subset : endpoints.get().path("subsets")) {
                for (JsonNode port : subset.path("ports")) {
                    if (port.path("name").asText("").equals(portName)) {
                        subset.path("addresses").forEach(a -> found.add(hostPort(a.path("ip").asText(), port.path("port").asText())));
                    }
                }
            }
            return found;
        }
        ListOptions bySelector = new ListOptions(LabelSelector.parse("kubernetes.io/service-name=" + service),
                FieldSelector.everything(), null, null, 0, null);
        for (ObjectNode slice : lister.list(ENDPOINT_SLICES, namespace, bySelector).items()) {
            for (JsonNode port : slice.path("ports")) {
                if (!port.path("name").asText("").equals(portName) || !port.hasNonNull("port")) {
                    continue;
                }
                for (JsonNode endpoint : slice.path("endpoints")) {
                    if (endpoint.path("conditions").path("ready").asBoolean(true) && !endpoint.path("addresses").isEmpty()) {
                        found.add(hostPort(endpoint.path("addresses").get(0).asText(), port.path("port").asText()));
                    }
                }
            }
        }
        return found;
    }

    static String hostPort(String ip, String port) {
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return port.isEmpty() ? host : host + ":" + port;
    }

    /** Go's IP.IsGlobalUnicast: not unspecified, loopback, multicast, link-local or broadcast. */
    static boolean globalUnicast(String ip) {
        if (ip.isEmpty() || !(ip.contains(":") || ip.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(ip);
            return !a.isAnyLocalAddress() && !a.isLoopbackAddress() && !a.isMulticastAddress() && !a.isLinkLocalAddress()
                    && !ip.equals("255.255.255.255");
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static StatusException serviceUnavailable(String message) {
        return new StatusException(503, "ServiceUnavailable", message, null, null, null, List.of(), 0);
    }
}
