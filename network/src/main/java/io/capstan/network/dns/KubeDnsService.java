package io.capstan.network.dns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Service kube-dns in kube-system, as k3s's CoreDNS has it (cluster IP 10.43.0.10, ports dns 53/UDP and dns-tcp
 * 53/TCP), but without a selector: its EndpointSlice and Endpoints are written here and point at where this
 * server's DNS listens, so the service proxy sends the cluster IP's port 53 there.
 */
final class KubeDnsService {

    static final String NAMESPACE = "kube-system";
    static final String NAME = "kube-dns";
    static final String SLICE_NAME = "kube-dns-capstan";
    static final String MANAGED_BY = "capstan-server";

    private KubeDnsService() {}

    /** Creates or updates the Service, its EndpointSlice and its Endpoints for a DNS server at dns on node nodeName. */
    static void publish(Api api, String clusterIp, InetSocketAddress dns, String nodeName) {
        int port = dns.getPort();
        ObjectNode service = service(clusterIp, port);
        ObjectNode existing = api.find(Kinds.SERVICES, NAMESPACE, NAME).orElse(null);
        if (existing == null) {
            api.create(Kinds.SERVICES, NAMESPACE, service);
        } else if (!existing.path("spec").path("ports").equals(service.path("spec").path("ports"))) {
            // The cluster IP is immutable; only the ports follow where the server listens now.
            existing.withObject("spec").set("ports", service.path("spec").path("ports"));
            api.update(Kinds.SERVICES, NAMESPACE, NAME, "", existing);
        }
        put(api, Kinds.ENDPOINT_SLICES, SLICE_NAME, slice(dns, nodeName));
        put(api, Kinds.ENDPOINTS, NAME, endpoints(dns, nodeName));
    }

    static ObjectNode service(String clusterIp, int targetPort) {
        ObjectNode service = metadata("v1", "Service", NAME);
        service.withObject("metadata").withObject("annotations").put("prometheus.io/port", "9153").put("prometheus.io/scrape", "true");
        ObjectNode spec = service.putObject("spec");
        spec.put("type", "ClusterIP").put("clusterIP", clusterIp).putArray("clusterIPs").add(clusterIp);
        ArrayNode ports = spec.putArray("ports");
        ports.addObject().put("name", "dns").put("port", 53).put("protocol", "UDP").put("targetPort", targetPort);
        ports.addObject().put("name", "dns-tcp").put("port", 53).put("protocol", "TCP").put("targetPort", targetPort);
        return service;
    }

    static ObjectNode slice(InetSocketAddress dns, String nodeName) {
        ObjectNode slice = metadata("discovery.k8s.io/v1", "EndpointSlice", SLICE_NAME);
        slice.withObject("metadata").withObject("labels").put(ClusterRecords.SERVICE_NAME_LABEL, NAME)
                .put("endpointslice.kubernetes.io/managed-by", MANAGED_BY);
        slice.put("addressType", dns.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(dns.getAddress().getHostAddress());
        endpoint.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        if (nodeName != null) {
            endpoint.put("nodeName", nodeName);
        }
        ArrayNode ports = slice.putArray("ports");
        ports.addObject().put("name", "dns").put("port", dns.getPort()).put("protocol", "UDP");
        ports.addObject().put("name", "dns-tcp").put("port", dns.getPort()).put("protocol", "TCP");
        return slice;
    }

    static ObjectNode endpoints(InetSocketAddress dns, String nodeName) {
        ObjectNode endpoints = metadata("v1", "Endpoints", NAME);
        // Mirrored into a second EndpointSlice, the server's address would be listed twice.
        endpoints.withObject("metadata").withObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        ObjectNode address = subset.putArray("addresses").addObject().put("ip", dns.getAddress().getHostAddress());
        if (nodeName != null) {
            address.put("nodeName", nodeName);
        }
        ArrayNode ports = subset.putArray("ports");
        ports.addObject().put("name", "dns").put("port", dns.getPort()).put("protocol", "UDP");
        ports.addObject().put("name", "dns-tcp").put("port", dns.getPort()).put("protocol", "TCP");
        return endpoints;
    }

    private static ObjectNode metadata(String apiVersion, String kind, String name) {
        ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode metadata = object.putObject("metadata").put("name", name).put("namespace", NAMESPACE);
        metadata.putObject("labels").put("k8s-app", "kube-dns").put("kubernetes.io/cluster-service", "true")
                .put("kubernetes.io/name", "CoreDNS");
        return object;
    }

    /** Create, or replace what is there (this server owns the object). */
    private static void put(Api api, ResourceType type, String name, ObjectNode object) {
        ObjectNode existing = api.find(type, NAMESPACE, name).orElse(null);
        if (existing == null) {
            api.create(type, NAMESPACE, object);
            return;
        }
        object.withObject("metadata").put("resourceVersion", existing.path("metadata").path("resourceVersion").asText());
        try {
            api.update(type, NAMESPACE, name, "", object);
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
            put(api, type, name, object.deepCopy());
        }
    }

}
