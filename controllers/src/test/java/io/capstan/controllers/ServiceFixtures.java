package io.capstan.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Services, pods and nodes for the endpoint controllers' tests. */
public final class ServiceFixtures {

    private ServiceFixtures() {}

    public static ObjectNode json(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A Service in default selecting app=web, with the given spec fields (JSON members, without braces). */
    public static ObjectNode service(String name, String specFields) {
        return json("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","namespace":"default","uid":"svc-%s","labels":{"team":"a"}},
                 "spec":{"selector":{"app":"web"},%s}}""".formatted(name, name, specFields));
    }

    /** A running pod labelled app=web on node sim-0 with container port "http" = httpPort. */
    public static ObjectNode pod(String name, String ip, boolean ready, int httpPort) {
        return json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"%s","labels":{"app":"web"}},
                 "spec":{"nodeName":"sim-0","containers":[{"name":"c","ports":[{"name":"http","containerPort":%d}]}]},
                 "status":{"phase":"Running","podIP":"%s","podIPs":[{"ip":"%s"}],
                   "conditions":[{"type":"Ready","status":"%s"}]}}""".formatted(name, UUID.nameUUIDFromBytes(name.getBytes()), httpPort, ip, ip,
                ready ? "True" : "False"));
    }

    public static ObjectNode node(String name, String ip, boolean ready, String zone) {
        return json("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","uid":"n-%s","labels":{%s}},
                 "status":{"addresses":[{"type":"InternalIP","address":"%s"},{"type":"Hostname","address":"%s"}],
                   "conditions":[{"type":"Ready","status":"%s"}]}}""".formatted(name, name,
                zone == null ? "" : "\"topology.kubernetes.io/zone\":\"" + zone + "\"", ip, name, ready ? "True" : "False"));
    }

    /** The pod as being deleted. */
    public static ObjectNode terminating(ObjectNode pod) {
        Json.with(pod, "metadata").put("deletionTimestamp", "2026-11-25T10:00:00Z");
        return pod;
    }
}
