package io.capstan.apiserver.registry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a Service's type asks of the allocators, and the update rules of kube-apiserver's service storage:
 * patchAllocatedValues (an update that leaves out what the server allocated keeps it) and dropTypeDependentFields
 * (a type change wipes the values that no longer apply, unless the user set them in the same request).
 */
public final class ServiceFields {

    private ServiceFields() {}

    static String type(JsonNode svc) {
        return svc.path("spec").path("type").asText("ClusterIP");
    }

    static boolean needsClusterIp(JsonNode svc) {
        return !type(svc).equals("ExternalName");
    }

    static boolean needsNodePorts(JsonNode svc) {
        String type = type(svc);
        return type.equals("NodePort")
                || type.equals("LoadBalancer") && svc.path("spec").path("allocateLoadBalancerNodePorts").asBoolean(true);
    }

    static boolean needsHealthCheckNodePort(JsonNode svc) {
        return type(svc).equals("LoadBalancer") && "Local".equals(svc.path("spec").path("externalTrafficPolicy").asText());
    }

    static boolean needsExternalTrafficPolicy(JsonNode svc) {
        String type = type(svc);
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    /** The cluster IPs the Service holds ("None" and empty left out). */
    static Set<String> clusterIps(JsonNode svc) {
        Set<String> ips = new LinkedHashSet<>();
        svc.path("spec").path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
        String primary = svc.path("spec").path("clusterIP").asText("");
        if (!primary.isEmpty()) {
            ips.add(primary);
        }
        ips.remove("None");
        ips.remove("");
        return ips;
    }

    /** The node ports the Service holds: each port's nodePort and the healthCheckNodePort. */
    static Set<Integer> nodePorts(JsonNode svc) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (p.path("nodePort").asInt(0) > 0) {
                ports.add(p.path("nodePort").asInt());
            }
        }
        if (svc.path("spec").path("healthCheckNodePort").asInt(0) > 0) {
            ports.add(svc.path("spec").path("healthCheckNodePort").asInt());
        }
        return ports;
    }

    /** clusterIP and clusterIPs agree: one fills the other, as kube-apiserver's normalizeClusterIPs. */
    static void normalizeClusterIps(ObjectNode spec) {
        String primary = spec.path("clusterIP").asText("");
        JsonNode list = spec.path("clusterIPs");
        if (!primary.isEmpty() && (!list.isArray() || list.isEmpty())) {
            spec.putArray("clusterIPs").add(primary);
        } else if (primary.isEmpty() && list.isArray() && !list.isEmpty()) {
            spec.put("clusterIP", list.get(0).asText());
        }
    }

    /** The update rules, applied to next (the wanted object) before defaults and validation. */
    public static void prepareForUpdate(ObjectNode next, ObjectNode old) {
        if (!(next.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        patchAllocatedValues(next, spec, old);
        dropTypeDependentFields(next, spec, old);
    }

    private static void patchAllocatedValues(ObjectNode next, ObjectNode spec, ObjectNode old) {
        if (needsClusterIp(old) && needsClusterIp(next)) {
            for (String field : new String[] {"clusterIP", "clusterIPs"}) {
                JsonNode before = Json.at(old, "spec", field);
                JsonNode now = spec.get(field);
                boolean absent = now == null || now.isNull() || now.isTextual() && now.asText().isEmpty() || now.isArray() && now.isEmpty();
                if (before != null && absent) {
                    spec.set(field, before.deepCopy());
                }
            }
        }
        if (needsNodePorts(old) && needsNodePorts(next)) {
            Set<Integer> used = new HashSet<>();
            spec.path("ports").forEach(p -> used.add(p.path("nodePort").asInt(0)));
            Map<String, Integer> byName = new HashMap<>();
            old.path("spec").path("ports").forEach(p -> byName.put(p.path("name").asText(""), p.path("nodePort").asInt(0)));
            for (JsonNode p : spec.path("ports")) {
                Integer before = byName.get(p.path("name").asText(""));
                if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0 && before != null && before > 0
                        && !used.contains(before)) {
                    port.put("nodePort", before);
                }
            }
        }
        if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(next) && spec.path("healthCheckNodePort").asInt(0) == 0
                && old.path("spec").path("healthCheckNodePort").asInt(0) > 0) {
            spec.put("healthCheckNodePort", old.path("spec").path("healthCheckNodePort").asInt());
        }
    }

    private static void dropTypeDependentFields(ObjectNode next, ObjectNode spec, ObjectNode old) {
        JsonNode oldSpec = old.path("spec");
        if (needsClusterIp(old) && !needsClusterIp(next)) {
            if (same(oldSpec, spec, "clusterIP") && same(oldSpec, spec, "clusterIPs")) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if (same(oldSpec, spec, "ipFamilies")) {
                spec.remove("ipFamilies");
            }
            if (same(oldSpec, spec, "ipFamilyPolicy")) {
                spec.remove("ipFamilyPolicy");
            }
        }
        if (needsNodePorts(old) && !needsNodePorts(next) && sameNodePorts(oldSpec, spec)) {
            spec.path("ports").forEach(p -> ((ObjectNode) p).remove("nodePort"));
        }
        if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(next) && same(oldSpec, spec, "healthCheckNodePort")) {
            spec.remove("healthCheckNodePort");
        }
        boolean leftLoadBalancer = type(old).equals("LoadBalancer") && !type(next).equals("LoadBalancer");
        if (leftLoadBalancer) {
            for (String field : new String[] {"allocateLoadBalancerNodePorts", "loadBalancerClass"}) {
                if (spec.has(field) && same(oldSpec, spec, field)) {
                    spec.remove(field);
                }
            }
        }
        if (needsExternalTrafficPolicy(old) && !needsExternalTrafficPolicy(next) && same(oldSpec, spec, "externalTrafficPolicy")) {
            spec.remove("externalTrafficPolicy");
        }
        if (leftLoadBalancer && next.get("status") instanceof ObjectNode status) {
            // As kube-apiserver: the load balancer's address goes with the type.
            status.putObject("loadBalancer");
        }
    }

    private static boolean same(JsonNode a, JsonNode b, String field) {
        return Objects.equals(a.get(field), b.get(field));
    }

    private static boolean sameNodePorts(JsonNode a, JsonNode b) {
        JsonNode pa = a.path("ports");
        JsonNode pb = b.path("ports");
        if (pa.size() != pb.size()) {
            return false;
        }
        for (int i = 0; i < pa.size(); i++) {
            if (pa.get(i).path("nodePort").asInt(0) != pb.get(i).path("nodePort").asInt(0)) {
                return false;
            }
        }
        return true;
    }
}
