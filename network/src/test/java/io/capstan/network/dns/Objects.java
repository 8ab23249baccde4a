package io.capstan.network.dns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/** Services, EndpointSlices and Pods as the informers hold them, for the tests. */
final class Objects {

    private Objects() {}

    static ObjectNode service(String namespace, String name, String clusterIp, String... namedPorts) {
        ObjectNode service = meta("v1", "Service", namespace, name);
        ObjectNode spec = service.putObject("spec").put("type", "ClusterIP").put("clusterIP", clusterIp);
        if (!clusterIp.equals("None")) {
            spec.putArray("clusterIPs").add(clusterIp);
        }
        ArrayNode ports = spec.putArray("ports");
        for (String p : namedPorts) {
            // "http:80/TCP"
            String[] parts = p.split("[:/]");
            ports.addObject().put("name", parts[0]).put("port", Integer.parseInt(parts[1])).put("protocol", parts[2]);
        }
        return service;
    }

    static ObjectNode externalName(String namespace, String name, String target) {
        ObjectNode service = meta("v1", "Service", namespace, name);
        service.putObject("spec").put("type", "ExternalName").put("externalName", target);
        return service;
    }

    static ObjectNode slice(String namespace, String service, String name, String... namedPorts) {
        ObjectNode slice = meta("discovery.k8s.io/v1", "EndpointSlice", namespace, name);
        slice.withObject("metadata").putObject("labels").put("kubernetes.io/service-name", service);
        slice.put("addressType", "IPv4");
        slice.putArray("endpoints");
        ArrayNode ports = slice.putArray("ports");
        for (String p : namedPorts) {
            String[] parts = p.split("[:/]");
            ports.addObject().put("name", parts[0]).put("port", Integer.parseInt(parts[1])).put("protocol", parts[2]);
        }
        return slice;
    }

    /** Adds an endpoint; hostname and pod may be null. */
    static ObjectNode endpoint(ObjectNode slice, String ip, boolean ready, String hostname, String pod) {
        ObjectNode endpoint = ((ArrayNode) slice.get("endpoints")).addObject();
        endpoint.putArray("addresses").add(ip);
        endpoint.putObject("conditions").put("ready", ready);
        if (hostname != null) {
            endpoint.put("hostname", hostname);
        }
        if (pod != null) {
            endpoint.putObject("targetRef").put("kind", "Pod").put("namespace", slice.path("metadata").path("namespace").asText())
                    .put("name", pod);
        }
        return slice;
    }

    static ObjectNode pod(String namespace, String name, String ip) {
        ObjectNode pod = meta("v1", "Pod", namespace, name);
        pod.putObject("spec");
        pod.putObject("status").put("phase", "Running").put("podIP", ip).putArray("podIPs").addObject().put("ip", ip);
        return pod;
    }

    private static ObjectNode meta(String apiVersion, String kind, String namespace, String name) {
        ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
        object.putObject("metadata").put("namespace", namespace).put("name", name);
        return object;
    }
}
