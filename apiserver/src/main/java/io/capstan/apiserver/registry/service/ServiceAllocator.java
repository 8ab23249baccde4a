package io.capstan.apiserver.registry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives Services their cluster IP and node ports when they are written, as kube-apiserver's service storage does:
 * explicit values are honoured when free and in range, missing ones picked at random; what a write took is
 * released if the write fails, what it gave up is released once it succeeds. The allocators live in memory and
 * are rebuilt from the stored Services when the server starts, so the Services themselves are the record.
 */
public final class ServiceAllocator {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceAllocator.class);

    public static final String DEFAULT_CIDR = "10.43.0.0/16";
    public static final String DEFAULT_NODE_PORTS = "30000-32767";

    private final IpAllocator ips;
    private final PortAllocator ports;

    public ServiceAllocator(String serviceCidr, String nodePortRange) {
        this.ips = new IpAllocator(ServiceCidr.parse(serviceCidr));
        this.ports = PortAllocator.parse(nodePortRange);
    }

    public static ServiceAllocator defaults() {
        return new ServiceAllocator(DEFAULT_CIDR, DEFAULT_NODE_PORTS);
    }

    /** The first address of the range, which the `kubernetes` Service holds. */
    public String kubernetesServiceIp() {
        return ips.cidr().address(1);
    }

    /** Marks what the stored Services hold as taken (at start, before the first request). */
    public void recover(Iterable<ObjectNode> services) {
        for (ObjectNode svc : services) {
            for (String ip : ServiceFields.clusterIps(svc)) {
                String error = ips.allocate(ip);
                if (error != null) {
                    LOG.warn("service {}/{}: cluster IP {}: {}", Json.text(svc, "metadata", "namespace"),
                            Json.text(svc, "metadata", "name"), ip, error);
                }
            }
            for (int port : ServiceFields.nodePorts(svc)) {
                String error = ports.allocate(port);
                if (error != null) {
                    LOG.warn("service {}/{}: node port {}: {}", Json.text(svc, "metadata", "namespace"),
                            Json.text(svc, "metadata", "name"), port, error);
                }
            }
        }
    }

    /** What a write took (released if it fails) and gave up (released once it succeeds). */
    public final class Allocation {
        private final List<String> takenIps = new ArrayList<>();
        private final List<Integer> takenPorts = new ArrayList<>();
        private final List<String> freedIps = new ArrayList<>();
        private final List<Integer> freedPorts = new ArrayList<>();

        private Allocation() {}

        /** The write is stored. */
        public void commit() {
            freedIps.forEach(ips::release);
            freedPorts.forEach(ports::release);
        }

        /** The write failed or was a dry run: give back what it took. */
        public void rollback() {
            takenIps.forEach(ips::release);
            takenPorts.forEach(ports::release);
            takenIps.clear();
            takenPorts.clear();
        }
    }

    /** Fills a new Service's cluster IP and node ports, taking them. */
    public Allocation create(ObjectNode svc) {
        return update(Json.object(), svc);
    }

    /** Takes what next holds that old did not, fills what next lacks, and plans to release what old held and next does not. */
    public Allocation update(ObjectNode old, ObjectNode next) {
        Allocation a = new Allocation();
        try {
            allocateClusterIp(old, next, a);
            allocateNodePorts(old, next, a);
        } catch (RuntimeException e) {
            a.rollback();
            throw e;
        }
        Set<String> nextIps = ServiceFields.clusterIps(next);
        ServiceFields.clusterIps(old).stream().filter(ip -> !nextIps.contains(ip)).forEach(a.freedIps::add);
        Set<Integer> nextPorts = ServiceFields.nodePorts(next);
        ServiceFields.nodePorts(old).stream().filter(p -> !nextPorts.contains(p)).forEach(a.freedPorts::add);
        return a;
    }

    /** A Service is gone: its IP and ports may be given to others. */
    public void release(JsonNode svc) {
        ServiceFields.clusterIps(svc).forEach(ips::release);
        ServiceFields.nodePorts(svc).forEach(ports::release);
    }

    private void allocateClusterIp(ObjectNode old, ObjectNode next, Allocation a) {
        if (!ServiceFields.needsClusterIp(next)) {
            return;
        }
        ObjectNode spec = Json.with(next, "spec");
        ServiceFields.normalizeClusterIps(spec);
        String ip = spec.path("clusterIP").asText("");
        if (ip.equals("None")) {
            return;
        }
        if (ip.isEmpty()) {
            ip = ips.allocateNext();
            if (ip == null) {
                throw StatusException.internal("failed to allocate a serviceIP: range is full");
            }
            a.takenIps.add(ip);
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
            return;
        }
        if (ServiceFields.clusterIps(old).contains(ip)) {
            return;
        }
        String error = ips.allocate(ip);
        if (error != null) {
            throw StatusException.invalid(Kinds.SERVICES, Json.text(next, "metadata", "name"), List.of(FieldError.invalid(
                    "spec.clusterIPs", "[]string{" + FieldError.quote(ip) + "}", "failed to allocate IP " + ip + ": " + error)));
        }
        a.takenIps.add(ip);
    }

    private void allocateNodePorts(ObjectNode old, ObjectNode next, Allocation a) {
        Set<Integer> held = ServiceFields.nodePorts(old);
        String name = Json.text(next, "metadata", "name");
        ObjectNode spec = Json.with(next, "spec");
        // Explicit ports first, so a random pick never takes one the user asked for in the same request.
        JsonNode servicePorts = spec.path("ports");
        for (int i = 0; i < servicePorts.size(); i++) {
            int nodePort = servicePorts.get(i).path("nodePort").asInt(0);
            if (nodePort > 0) {
                takeExplicit(nodePort, held, a, name, "spec.ports[" + i + "].nodePort");
            }
        }
        if (ServiceFields.needsNodePorts(next)) {
            // A port number offered over two protocols shares one node port, as kube-apiserver's allocateNodePorts.
            Map<Integer, Integer> byServicePort = new HashMap<>();
            servicePorts.forEach(p -> {
                if (p.path("nodePort").asInt(0) > 0) {
                    byServicePort.putIfAbsent(p.path("port").asInt(), p.path("nodePort").asInt());
                }
            });
            for (JsonNode p : servicePorts) {
                if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
                    Integer shared = byServicePort.get(port.path("port").asInt());
                    int nodePort = shared != null ? shared : takeNext(a);
                    port.put("nodePort", nodePort);
                    byServicePort.putIfAbsent(port.path("port").asInt(), nodePort);
                }
            }
        }
        int health = spec.path("healthCheckNodePort").asInt(0);
        if (health > 0) {
            takeExplicit(health, held, a, name, "spec.healthCheckNodePort");
        } else if (ServiceFields.needsHealthCheckNodePort(next)) {
            spec.put("healthCheckNodePort", takeNext(a));
        }
    }

    private void takeExplicit(int port, Set<Integer> held, Allocation a, String name, String field) {
        if (held.contains(port) || a.takenPorts.contains(port)) {
            return;
        }
        String error = ports.allocate(port);
        if (error != null) {
            throw StatusException.invalid(Kinds.SERVICES, name, List.of(FieldError.invalid(field, Integer.toString(port), error)));
        }
        a.takenPorts.add(port);
    }

    private int takeNext(Allocation a) {
        int port = ports.allocateNext();
        if (port < 0) {
            throw StatusException.internal("failed to allocate a nodePort: range is full");
        }
        a.takenPorts.add(port);
        return port;
    }

    boolean isAllocated(String ip) {
        return ips.isAllocated(ip);
    }

    boolean isAllocated(int port) {
        return ports.isAllocated(port);
    }
}
