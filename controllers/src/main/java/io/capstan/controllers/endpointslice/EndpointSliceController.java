package io.capstan.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.EventRecorder;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.ServicePods;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the EndpointSlices of each Service with a selector in line with its pods, as Kubernetes' EndpointSlice
 * controller: one set of slices per resolved port list, at most 100 endpoints each, endpoints staying in the slice
 * they are in, emptied slices reused before new ones are created, and an empty placeholder slice when no pod matches.
 */
public final class EndpointSliceController implements Reconciler {

    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    static final String HEADLESS = "service.kubernetes.io/headless";
    static final int MAX_ENDPOINTS_PER_SLICE = 100;

    private final Api api;
    private final ObjectCache services;
    private final ObjectCache pods;
    private final ObjectCache slices;
    private final ObjectCache nodes;
    private final EventRecorder events;
    private final SliceTracker tracker = new SliceTracker();

    public EndpointSliceController(Api api, ObjectCache services, ObjectCache pods, ObjectCache slices, ObjectCache nodes,
                                   EventRecorder events) {
        this.api = api;
        this.services = services;
        this.pods = pods;
        this.slices = slices;
        this.nodes = nodes;
        this.events = events;
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        String name = key.substring(slash + 1);
        ObjectNode svc = services.get(ns, name).orElse(null);
        if (svc == null) {
            tracker.forget(key); // the garbage collector removes the slices with their owner
            return Result.done();
        }
        if (!ServicePods.managed(svc) || Json.at(svc, "metadata", "deletionTimestamp") != null) {
            return Result.done();
        }
        List<ObjectNode> existing = managedSlices(ns, name);
        if (tracker.stale(key, existing)) {
            return Result.requeueAfter(Duration.ofMillis(100)); // our own last writes are not in the cache yet
        }
        Map<String, DesiredEndpoints.Group> want = DesiredEndpoints.of(svc, ServicePods.selected(pods, svc), nodes);
        try {
            apply(key, svc, existing, want);
        } catch (StatusException e) {
            events.warning(svc, "FailedToUpdateEndpointSlices", "Error updating Endpoint Slices for Service " + key + ": " + e.getMessage());
            throw e;
        }
        return Result.done();
    }

    private List<ObjectNode> managedSlices(String ns, String service) {
        List<ObjectNode> result = new ArrayList<>();
        for (ObjectNode slice : slices.byIndex(Indexes.NAMESPACE, ns)) {
            if (service.equals(Json.text(slice, "metadata", "labels", SERVICE_NAME))
                    && CONTROLLER_NAME.equals(Json.text(slice, "metadata", "labels", MANAGED_BY))) {
                result.add(slice);
            }
        }
        result.sort(Comparator.comparing(s -> Json.text(s, "metadata", "name")));
        return result;
    }

    private void apply(String key, ObjectNode svc, List<ObjectNode> existing, Map<String, DesiredEndpoints.Group> want) {
        Map<String, List<ObjectNode>> kept = new LinkedHashMap<>();
        Deque<ObjectNode> spare = new ArrayDeque<>();
        Map<String, Map<String, ObjectNode>> remaining = new LinkedHashMap<>();
        want.forEach((k, g) -> remaining.put(k, new LinkedHashMap<>(g.endpoints())));
        // Endpoints stay in the slice they are in, with their fresh content.
        for (ObjectNode slice : existing) {
            String portsKey = Json.string(slice.path("ports").isArray() ? slice.path("ports") : Json.array());
            Map<String, ObjectNode> left = remaining.get(portsKey);
            ArrayNode endpoints = Json.array();
            if (left != null && "IPv4".equals(Json.text(slice, "addressType"))) {
                for (JsonNode ep : slice.path("endpoints")) {
                    ObjectNode fresh = left.remove(ep.path("targetRef").path("name").asText());
                    if (fresh != null) {
                        endpoints.add(fresh);
                    }
                }
            }
            if (endpoints.isEmpty()) {
                spare.add(slice);
            } else {
                kept.computeIfAbsent(portsKey, k -> new ArrayList<>()).add(withContent(svc, slice.deepCopy(), slice.get("ports"), endpoints));
            }
        }
        List<ObjectNode> toCreate = new ArrayList<>();
        List<ObjectNode> toUpdate = new ArrayList<>();
        for (Map.Entry<String, Map<String, ObjectNode>> e : remaining.entrySet()) {
            ArrayNode ports = want.get(e.getKey()).ports();
            List<ObjectNode> newOnes = new ArrayList<>(e.getValue().values());
            // New endpoints fill slices with room first, then spare slices, then new ones.
            for (ObjectNode slice : kept.getOrDefault(e.getKey(), List.of())) {
                ArrayNode endpoints = (ArrayNode) slice.get("endpoints");
                while (endpoints.size() < MAX_ENDPOINTS_PER_SLICE && !newOnes.isEmpty()) {
                    endpoints.add(newOnes.removeFirst());
                }
            }
            while (!newOnes.isEmpty()) {
                ArrayNode endpoints = Json.array();
                while (endpoints.size() < MAX_ENDPOINTS_PER_SLICE && !newOnes.isEmpty()) {
                    endpoints.add(newOnes.removeFirst());
                }
                ObjectNode reused = spare.poll();
                if (reused != null) {
                    toUpdate.add(withContent(svc, reused.deepCopy(), ports, endpoints));
                } else {
                    toCreate.add(withContent(svc, newSlice(svc), ports, endpoints));
                }
            }
        }
        kept.values().forEach(toUpdate::addAll);
        if (toUpdate.isEmpty() && toCreate.isEmpty()) {
            // No endpoints: one placeholder slice, so consumers can tell "no endpoints" from "not synced yet".
            ObjectNode placeholder = spare.stream().filter(s -> s.path("endpoints").isEmpty() && s.path("ports").isEmpty())
                    .findFirst().orElse(null);
            if (placeholder != null) {
                spare.remove(placeholder);
                toUpdate.add(withContent(svc, placeholder.deepCopy(), Json.array(), Json.array()));
            } else if (!spare.isEmpty()) {
                toUpdate.add(withContent(svc, spare.poll().deepCopy(), Json.array(), Json.array()));
            } else {
                toCreate.add(withContent(svc, newSlice(svc), Json.array(), Json.array()));
            }
        }
        String ns = Json.text(svc, "metadata", "namespace");
        Map<String, ObjectNode> before = new LinkedHashMap<>();
        existing.forEach(s -> before.put(Json.text(s, "metadata", "name"), s));
        for (ObjectNode slice : toUpdate) {
            String name = Json.text(slice, "metadata", "name");
            if (!slice.equals(before.get(name))) {
                tracker.written(key, api.update(Kinds.ENDPOINT_SLICES, ns, name, "", slice));
            }
        }
        for (ObjectNode slice : toCreate) {
            tracker.written(key, api.create(Kinds.ENDPOINT_SLICES, ns, slice));
        }
        for (ObjectNode slice : spare) {
            try {
                api.delete(Kinds.ENDPOINT_SLICES, ns, Json.text(slice, "metadata", "name"), null, Json.text(slice, "metadata", "uid"));
            } catch (StatusException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
            tracker.deleted(key, slice);
        }
    }

    private static ObjectNode newSlice(ObjectNode svc) {
        ObjectNode slice = Json.object().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
        slice.putObject("metadata").put("generateName", Json.text(svc, "metadata", "name") + "-")
                .put("namespace", Json.text(svc, "metadata", "namespace"));
        return slice;
    }

    /** The slice with the Service's labels, its owner reference, and these ports and endpoints. */
    private static ObjectNode withContent(ObjectNode svc, ObjectNode slice, JsonNode ports, ArrayNode endpoints) {
        ObjectNode meta = Json.with(slice, "metadata");
        ObjectNode labels = Json.object();
        svc.path("metadata").path("labels").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
        labels.remove(List.of(SERVICE_NAME, MANAGED_BY, HEADLESS));
        if ("None".equals(Json.text(svc, "spec", "clusterIP"))) {
            labels.put(HEADLESS, "");
        }
        labels.put(SERVICE_NAME, Json.text(svc, "metadata", "name")).put(MANAGED_BY, CONTROLLER_NAME);
        meta.set("labels", labels);
        meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Service")
                .put("name", Json.text(svc, "metadata", "name")).put("uid", Json.text(svc, "metadata", "uid"))
                .put("controller", true).put("blockOwnerDeletion", true);
        slice.put("addressType", "IPv4");
        slice.set("endpoints", endpoints);
        slice.set("ports", ports.deepCopy());
        return slice;
    }
}
