package io.capstan.controllers.servicelb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The built-in load balancer's bookkeeping, as k3s's ServiceLB: a LoadBalancer Service (without a loadBalancerClass)
 * is answered on every Ready node, so its status.loadBalancer.ingress lists those nodes' InternalIPs; any other
 * Service has none. The forwarding itself is the service proxy's job.
 */
public final class ServiceLbController implements Reconciler {

    private final Api api;
    private final ObjectCache services;
    private final ObjectCache nodes;
    private final EventRecorder events;

    public ServiceLbController(Api api, ObjectCache services, ObjectCache nodes, EventRecorder events) {
        this.api = api;
        this.services = services;
        this.nodes = nodes;
        this.events = events;
    }

    static boolean ours(JsonNode svc) {
        return "LoadBalancer".equals(svc.path("spec").path("type").asText()) && !svc.path("spec").hasNonNull("loadBalancerClass");
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        ObjectNode svc = services.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (svc == null || Json.at(svc, "metadata", "deletionTimestamp") != null) {
            return Result.done();
        }
        boolean ours = ours(svc);
        if (!ours && svc.path("spec").hasNonNull("loadBalancerClass")) {
            return Result.done(); // another load balancer's Service
        }
        List<String> ips = ours ? nodeIps() : List.of();
        ArrayNode ingress = Json.array();
        ips.forEach(ip -> ingress.addObject().put("ip", ip).put("ipMode", "VIP"));
        JsonNode current = svc.path("status").path("loadBalancer").path("ingress");
        if (current.isMissingNode() ? ingress.isEmpty() : current.equals(ingress)) {
            return Result.done();
        }
        ObjectNode patch = Json.object();
        ObjectNode loadBalancer = patch.putObject("status").putObject("loadBalancer");
        if (ingress.isEmpty()) {
            loadBalancer.putNull("ingress");
        } else {
            loadBalancer.set("ingress", ingress);
        }
        api.patch(Kinds.SERVICES, Json.text(svc, "metadata", "namespace"), Json.text(svc, "metadata", "name"), "status",
                ApiClient.MERGE_PATCH, patch);
        if (ours) {
            events.normal(svc, "UpdatedIngressIP", "LoadBalancer Ingress IP addresses updated: " + String.join(", ", ips));
        }
        return Result.done();
    }

    /** The InternalIPs of the Ready, schedulable-or-not nodes, sorted. */
    private List<String> nodeIps() {
        TreeSet<String> ips = new TreeSet<>();
        for (ObjectNode node : nodes.list()) {
            if (!ready(node)) {
                continue;
            }
            for (JsonNode a : node.path("status").path("addresses")) {
                if ("InternalIP".equals(a.path("type").asText()) && !a.path("address").asText("").isEmpty()) {
                    ips.add(a.path("address").asText());
                }
            }
        }
        return new ArrayList<>(ips);
    }

    static boolean ready(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }
}
