package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Keeps this node's addresses in status.loadBalancer.ingress of each Ingress it serves, and out of those it does not
 * (any more). Every node running the ingress adds its own, so the list is the set of nodes that answer for it.
 */
final class IngressStatus implements Reconciler {

    private final Api api;
    private final ResourceType ingresses;
    private final ObjectCache cache;
    private final Supplier<IngressClasses> classes;
    private final List<String> nodeAddresses;

    IngressStatus(Api api, ResourceType ingresses, ObjectCache cache, Supplier<IngressClasses> classes, List<String> nodeAddresses) {
        this.api = api;
        this.ingresses = ingresses;
        this.cache = cache;
        this.classes = classes;
        this.nodeAddresses = List.copyOf(nodeAddresses);
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        Optional<ObjectNode> found = cache.get(key.substring(0, slash), key.substring(slash + 1));
        if (found.isEmpty()) {
            return Result.done();
        }
        ObjectNode ingress = found.get();
        JsonNode current = ingress.path("status").path("loadBalancer").path("ingress");
        ArrayNode desired = desired(current, classes.get().handles(ingress));
        if (desired.equals(current) || desired.isEmpty() && current.isMissingNode()) {
            return Result.done();
        }
        ObjectNode updated = ingress.deepCopy();
        ObjectNode status = updated.get("status") instanceof ObjectNode s ? s : updated.putObject("status");
        status.putObject("loadBalancer").set("ingress", desired);
        // A stale resourceVersion gets 409 and the loop retries from the fresher cache.
        api.update(ingresses, key.substring(0, slash), key.substring(slash + 1), "status", updated);
        return Result.done();
    }

    /** The entries there are, with this node's addresses added (served) or removed (not served); sorted by address. */
    ArrayNode desired(JsonNode current, boolean served) {
        TreeSet<String> ips = new TreeSet<>();
        ArrayNode others = io.capstan.api.Json.array();
        for (JsonNode entry : current) {
            if (entry.path("ip").isTextual()) {
                ips.add(entry.path("ip").asText());
            } else {
                others.add(entry);
            }
        }
        if (served) {
            ips.addAll(nodeAddresses);
        } else {
            ips.removeAll(nodeAddresses);
        }
        ArrayNode result = io.capstan.api.Json.array();
        ips.forEach(ip -> result.addObject().put("ip", ip));
        result.addAll(others);
        return result;
    }
}
