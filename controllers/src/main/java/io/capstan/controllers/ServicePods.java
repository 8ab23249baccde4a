package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.LabelSelector;
import io.capstan.api.PodResources;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Indexes;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which pods back a Service and on which port, as the Endpoints and EndpointSlice controllers share it
 * (k8s.io/endpointslice/util and podutil.FindPort).
 */
public final class ServicePods {

    private ServicePods() {}

    /** The Service's selector, or null when it has none (its endpoints are managed by someone else). */
    public static LabelSelector selector(JsonNode svc) {
        JsonNode selector = svc.path("spec").path("selector");
        if (!selector.isObject() || selector.isEmpty()) {
            return null;
        }
        return LabelSelector.fromJson(Json.object().set("matchLabels", selector.deepCopy()));
    }

    /** Whether the controllers give the Service endpoints at all: a selector and a type other than ExternalName. */
    public static boolean managed(JsonNode svc) {
        return selector(svc) != null && !"ExternalName".equals(svc.path("spec").path("type").asText());
    }

    /** The pods of the Service's namespace its selector matches. */
    public static List<ObjectNode> selected(ObjectCache pods, JsonNode svc) {
        LabelSelector selector = selector(svc);
        if (selector == null) {
            return List.of();
        }
        List<ObjectNode> result = new ArrayList<>();
        for (ObjectNode pod : pods.byIndex(Indexes.NAMESPACE, svc.path("metadata").path("namespace").asText())) {
            if (selector.matches(pod)) {
                result.add(pod);
            }
        }
        result.sort((a, b) -> Json.text(a, "metadata", "name").compareTo(Json.text(b, "metadata", "name")));
        return result;
    }

    /** ShouldPodBeInEndpoints: not finished, with an IP, and (unless includeTerminating) not being deleted. */
    public static boolean inEndpoints(JsonNode pod, boolean includeTerminating) {
        if (PodResources.terminal(pod)) {
            return false;
        }
        if (pod.path("status").path("podIP").asText("").isEmpty() && pod.path("status").path("podIPs").isEmpty()) {
            return false;
        }
        return includeTerminating || !terminating(pod);
    }

    public static boolean terminating(JsonNode pod) {
        return pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    /** The pod's IPv4 address (the cluster is single-stack IPv4), or null. */
    public static String ipv4(JsonNode pod) {
        for (JsonNode ip : pod.path("status").path("podIPs")) {
            if (!ip.path("ip").asText().contains(":")) {
                return ip.path("ip").asText();
            }
        }
        String ip = pod.path("status").path("podIP").asText("");
        return ip.isEmpty() || ip.contains(":") ? null : ip;
    }

    /** The container port a Service port's targetPort names in this pod (podutil.FindPort), or null when it has none. */
    public static Integer findPort(JsonNode pod, JsonNode servicePort) {
        JsonNode target = servicePort.path("targetPort");
        if (target.isMissingNode() || target.isNull()) {
            return servicePort.path("port").asInt();
        }
        if (target.isInt() || target.isTextual() && target.asText().matches("\\d+")) {
            return target.asInt() == 0 ? servicePort.path("port").asInt() : target.asInt();
        }
        String name = target.asText();
        String protocol = servicePort.path("protocol").asText("TCP");
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (name.equals(p.path("name").asText()) && protocol.equals(p.path("protocol").asText("TCP"))) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        return null;
    }

    /** ShouldSetHostname: the pod names the Service as its subdomain and has a hostname. */
    public static boolean setsHostname(JsonNode pod, JsonNode svc) {
        String hostname = pod.path("spec").path("hostname").asText("");
        return !hostname.isEmpty() && svc.path("metadata").path("name").asText().equals(pod.path("spec").path("subdomain").asText())
                && svc.path("metadata").path("namespace").asText().equals(pod.path("metadata").path("namespace").asText());
    }

    /** Keys of the Services of the pod's namespace whose selector matches the pod. */
    public static Set<String> servicesOf(ObjectCache services, JsonNode pod) {
        Set<String> keys = new LinkedHashSet<>();
        for (ObjectNode svc : services.byIndex(Indexes.NAMESPACE, pod.path("metadata").path("namespace").asText())) {
            LabelSelector selector = selector(svc);
            if (selector != null && selector.matches(pod)) {
                keys.add(ObjectCache.key(svc));
            }
        }
        return keys;
    }

    /** Enqueues, for every pod change, the Services that select the pod before or after it. */
    public static Informer.Handler enqueueServices(ObjectCache services, ControllerLoop loop) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode pod) {
                servicesOf(services, pod).forEach(loop.queue()::add);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode pod) {
                Set<String> keys = servicesOf(services, pod);
                if (!old.path("metadata").path("labels").equals(pod.path("metadata").path("labels"))) {
                    keys.addAll(servicesOf(services, old));
                }
                keys.forEach(loop.queue()::add);
            }

            @Override
            public void deleted(ObjectNode pod) {
                added(pod);
            }
        };
    }

    /** Enqueues a Service on each of its own changes. */
    public static Informer.Handler enqueueSelf(ControllerLoop loop) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode svc) {
                loop.queue().add(ObjectCache.key(svc));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode svc) {
                added(svc);
            }

            @Override
            public void deleted(ObjectNode svc) {
                added(svc);
            }
        };
    }
}
