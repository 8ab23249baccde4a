package io.capstan.network.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns Services and EndpointSlices (as the API serves them) into a {@link ProxyModel} for one node. */
final class ModelBuilder {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final int DEFAULT_AFFINITY_SECONDS = 10800;

    private ModelBuilder() {}

    static ProxyModel build(List<ObjectNode> services, List<ObjectNode> slices, String nodeName) {
        TreeMap<String, ServicePort> ports = new TreeMap<>();
        for (ObjectNode svc : services) {
            for (ServicePort port : servicePorts(svc)) {
                ports.put(ProxyModel.key(port.name()), port);
            }
        }
        Map<String, Map<String, Endpoint>> byPort = new HashMap<>();
        for (ObjectNode slice : slices) {
            String service = slice.path("metadata").path("labels").path(SERVICE_NAME_LABEL).asText("");
            if (service.isEmpty() || !"IPv4".equals(slice.path("addressType").asText("IPv4"))) {
                continue;
            }
            String namespace = slice.path("metadata").path("namespace").asText("");
            for (JsonNode p : slice.path("ports")) {
                ServicePortName name = new ServicePortName(namespace, service, p.path("name").asText(""), p.path("protocol").asText("TCP"));
                int port = p.path("port").asInt(0);
                if (port <= 0) {
                    continue;
                }
                Map<String, Endpoint> eps = byPort.computeIfAbsent(ProxyModel.key(name), k -> new LinkedHashMap<>());
                for (JsonNode e : slice.path("endpoints")) {
                    String ip = e.path("addresses").path(0).asText("");
                    if (!ip.isEmpty()) {
                        eps.putIfAbsent(ip + ":" + port, endpoint(e, ip, port, nodeName));
                    }
                }
            }
        }
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        byPort.forEach((key, eps) -> endpoints.put(key, eps.values().stream()
                .sorted(Comparator.comparing(Endpoint::ip).thenComparingInt(Endpoint::port)).toList()));
        return new ProxyModel(ports, endpoints);
    }

    /** The conditions' defaults are the API's: ready unset means ready, serving unset means as ready, terminating unset means not. */
    private static Endpoint endpoint(JsonNode e, String ip, int port, String nodeName) {
        JsonNode c = e.path("conditions");
        boolean ready = c.path("ready").asBoolean(true);
        boolean serving = c.path("serving").asBoolean(ready);
        boolean terminating = c.path("terminating").asBoolean(false);
        return new Endpoint(ip, port, ready, serving, terminating, nodeName.equals(e.path("nodeName").asText("")));
    }

    /** The ports the proxy programs; none for ExternalName and headless Services, which kube-proxy skips too. */
    static List<ServicePort> servicePorts(ObjectNode svc) {
        JsonNode spec = svc.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        List<String> clusterIPs = new ArrayList<>();
        spec.path("clusterIPs").forEach(ip -> clusterIPs.add(ip.asText()));
        if (clusterIPs.isEmpty() && !spec.path("clusterIP").asText("").isEmpty()) {
            clusterIPs.add(spec.path("clusterIP").asText());
        }
        // iptables only: IPv6 cluster IPs would need ip6tables.
        clusterIPs.removeIf(ip -> ip.contains(":") || ip.equals("None"));
        if ("ExternalName".equals(type) || clusterIPs.isEmpty()) {
            return List.of();
        }
        List<String> external = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> external.add(ip.asText()));
        svc.path("status").path("loadBalancer").path("ingress").forEach(i -> {
            String ip = i.path("ip").asText("");
            if (!ip.isEmpty() && !ip.contains(":") && !external.contains(ip)) {
                external.add(ip);
            }
        });
        boolean lb = "LoadBalancer".equals(type);
        int affinity = "ClientIP".equals(spec.path("sessionAffinity").asText(""))
                ? spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt(DEFAULT_AFFINITY_SECONDS) : 0;
        boolean externalLocal = "Local".equals(spec.path("externalTrafficPolicy").asText(""));
        boolean internalLocal = "Local".equals(spec.path("internalTrafficPolicy").asText(""));
        String namespace = svc.path("metadata").path("namespace").asText("");
        String name = svc.path("metadata").path("name").asText("");
        List<ServicePort> ports = new ArrayList<>();
        for (JsonNode p : spec.path("ports")) {
            int nodePort = "NodePort".equals(type) || lb ? p.path("nodePort").asInt(0) : 0;
            ports.add(new ServicePort(new ServicePortName(namespace, name, p.path("name").asText(""), p.path("protocol").asText("TCP")),
                    clusterIPs, p.path("port").asInt(), nodePort, external, lb, affinity, externalLocal, internalLocal));
        }
        return ports;
    }
}
