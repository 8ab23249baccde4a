package io.capstan.network.proxy;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Everything one sync programs: every Service port with its endpoints, sorted so that the same cluster state always
 * renders the same rules.
 */
public record ProxyModel(SortedMap<String, ServicePort> services, Map<String, List<Endpoint>> endpoints) {

    public ProxyModel {
        services = new TreeMap<>(services);
        endpoints = Map.copyOf(endpoints);
    }

    /** The key of a port in both maps. */
    static String key(ServicePortName name) {
        return name + "/" + name.protocol();
    }

    List<Endpoint> all(ServicePort port) {
        return endpoints.getOrDefault(key(port.name()), List.of());
    }

    /**
     * The endpoints cluster traffic goes to, as kube-proxy's CategorizeEndpoints: the ready ones; when there are none,
     * the serving-and-terminating ones (so that a rolling update does not drop connections when the last ready pod goes).
     * With internalTrafficPolicy Local only this node's.
     */
    List<Endpoint> clusterEndpoints(ServicePort port) {
        return usable(port, e -> !port.internalLocal() || e.local());
    }

    /** The endpoints of this node, with the same fallback; what externalTrafficPolicy Local sends external traffic to. */
    List<Endpoint> localEndpoints(ServicePort port) {
        return usable(port, Endpoint::local);
    }

    private List<Endpoint> usable(ServicePort port, Predicate<Endpoint> where) {
        List<Endpoint> candidates = all(port).stream().filter(where).toList();
        List<Endpoint> ready = candidates.stream().filter(Endpoint::ready).toList();
        if (!ready.isEmpty()) {
            return ready;
        }
        return candidates.stream().filter(e -> e.serving() && e.terminating()).toList();
    }
}
