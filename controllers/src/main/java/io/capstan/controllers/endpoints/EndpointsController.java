package io.capstan.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.Pods;
import io.capstan.controllers.ServicePods;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the v1 Endpoints object of each Service with a selector in line with its pods, as Kubernetes' Endpoints
 * controller: ready pods under addresses, the others under notReadyAddresses (all ready with
 * publishNotReadyAddresses), terminating pods left out unless not-ready addresses are published, and the object
 * deleted with its Service. Endpoints of Services without a selector belong to their user and are left alone.
 */
public final class EndpointsController implements Reconciler {

    static final String HEADLESS = "service.kubernetes.io/headless";

    private final Api api;
    private final ObjectCache services;
    private final ObjectCache pods;
    private final ObjectCache endpoints;
    private final EventRecorder events;

    public EndpointsController(Api api, ObjectCache services, ObjectCache pods, ObjectCache endpoints, EventRecorder events) {
        this.api = api;
        this.services = services;
        this.pods = pods;
        this.endpoints = endpoints;
        this.events = events;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        String name = key.substring(slash + 1);
        ObjectNode svc = services.get(ns, name).orElse(null);
        ObjectNode current = endpoints.get(ns, name).orElse(null);
        if (svc == null) {
            if (current != null) {
                delete(ns, name);
            }
            return Result.done();
        }
        if (!ServicePods.managed(svc) || Json.at(svc, "metadata", "deletionTimestamp") != null) {
            return Result.done();
        }
        ArrayNode subsets = subsets(svc);
        ObjectNode labels = labels(svc);
        if (current != null && subsetsOf(current).equals(subsets) && current.path("metadata").path("labels").equals(labels)) {
            return Result.done();
        }
        if (current == null) {
            ObjectNode ep = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
            ep.putObject("metadata").put("name", name).put("namespace", ns).set("labels", labels);
            setSubsets(ep, subsets);
            try {
                api.create(Kinds.ENDPOINTS, ns, ep);
            } catch (StatusException e) {
                if (e.code() == 409) {
                    return Result.requeueAfter(java.time.Duration.ofMillis(200)); // created meanwhile: update it once the cache has it
                }
                events.warning(svc, "FailedToCreateEndpoint", "Failed to create endpoint for service " + key + ": " + e.getMessage());
                throw e;
            }
        } else {
            ObjectNode ep = current.deepCopy();
            Json.with(ep, "metadata").set("labels", labels);
            setSubsets(ep, subsets);
            try {
                api.update(Kinds.ENDPOINTS, ns, name, "", ep);
            } catch (StatusException e) {
                if (e.code() != 409) {
                    events.warning(svc, "FailedToUpdateEndpoint", "Failed to update endpoint " + key + ": " + e.getMessage());
                }
                throw e;
            }
        }
        return Result.done();
    }

    private void delete(String ns, String name) {
        try {
            api.delete(Kinds.ENDPOINTS, ns, name, null, null);
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    private ArrayNode subsets(ObjectNode svc) {
        boolean publishNotReady = svc.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        boolean headless = "None".equals(Json.text(svc, "spec", "clusterIP"));
        Subsets subsets = new Subsets();
        for (ObjectNode pod : ServicePods.selected(pods, svc)) {
            String ip = ServicePods.ipv4(pod);
            if (ip == null || !ServicePods.inEndpoints(pod, publishNotReady)) {
                continue;
            }
            ObjectNode address = address(svc, pod, ip);
            boolean ready = publishNotReady || Pods.ready(pod);
            List<ObjectNode> ports = new ArrayList<>();
            for (JsonNode sp : svc.path("spec").path("ports")) {
                Integer number = ServicePods.findPort(pod, sp);
                if (number != null) {
                    ObjectNode port = Json.object();
                    if (!sp.path("name").asText("").isEmpty()) {
                        port.put("name", sp.path("name").asText());
                    }
                    port.put("port", number).put("protocol", sp.path("protocol").asText("TCP"));
                    if (sp.hasNonNull("appProtocol")) {
                        port.put("appProtocol", sp.path("appProtocol").asText());
                    }
                    ports.add(port);
                }
            }
            // A pod offering none of the Service's ports is listed only for a headless Service without ports.
            if (!ports.isEmpty() || headless && svc.path("spec").path("ports").isEmpty()) {
                subsets.add(address, ports, ready);
            }
        }
        return subsets.build();
    }

    private static ObjectNode address(ObjectNode svc, ObjectNode pod, String ip) {
        ObjectNode address = Json.object().put("ip", ip);
        if (ServicePods.setsHostname(pod, svc)) {
            address.put("hostname", pod.path("spec").path("hostname").asText());
        }
        String node = pod.path("spec").path("nodeName").asText("");
        if (!node.isEmpty()) {
            address.put("nodeName", node);
        }
        address.putObject("targetRef").put("kind", "Pod").put("namespace", Json.text(pod, "metadata", "namespace"))
                .put("name", Json.text(pod, "metadata", "name")).put("uid", Json.text(pod, "metadata", "uid"));
        return address;
    }

    /** The Service's labels, with the headless marker set or cleared. */
    private static ObjectNode labels(ObjectNode svc) {
        ObjectNode labels = svc.path("metadata").path("labels").isObject() ? svc.path("metadata").path("labels").deepCopy() : Json.object();
        labels.remove(HEADLESS);
        if ("None".equals(Json.text(svc, "spec", "clusterIP"))) {
            labels.put(HEADLESS, "");
        }
        return labels;
    }

    private static ArrayNode subsetsOf(ObjectNode ep) {
        return ep.path("subsets").isArray() ? (ArrayNode) ep.path("subsets") : Json.array();
    }

    private static void setSubsets(ObjectNode ep, ArrayNode subsets) {
        if (subsets.isEmpty()) {
            ep.remove("subsets");
        } else {
            ep.set("subsets", subsets);
        }
    }
}
