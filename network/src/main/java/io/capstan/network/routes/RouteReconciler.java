package io.capstan.network.routes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the routing table in line with the Nodes: writes the routes {@link NodeRoutes} wants and removes those it
 * wrote for nodes that are gone. It remembers what it wrote, so routes it did not make are never touched.
 */
final class RouteReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReconciler.class);

    private final String self;
    private final String ownPodCidr;
    private final RouteTable table;
    /** The routes written, by destination. */
    private final Map<String, Route> installed = new HashMap<>();

    RouteReconciler(String self, String ownPodCidr, RouteTable table) {
        this.self = self;
        this.ownPodCidr = ownPodCidr;
        this.table = table;
    }

    /** One pass over every Node; a route that cannot be written now is tried again on the next pass. */
    synchronized void sync(Collection<? extends JsonNode> nodes) {
        List<Route> desired = NodeRoutes.desired(self, ownPodCidr, nodes);
        Map<String, Route> wanted = new HashMap<>();
        desired.forEach(r -> wanted.put(r.destination(), r));
        for (Route stale : List.copyOf(installed.values())) {
            Route now = wanted.get(stale.destination());
            if (now == null || !now.gateway().equals(stale.gateway())) {
                try {
                    table.delete(stale);
                    installed.remove(stale.destination());
                    LOG.info("removed route to {} via {} (node {})", stale.destination(), stale.gateway(), stale.node());
                } catch (RuntimeException e) {
                    LOG.warn("could not remove route to {}: {}", stale.destination(), e.getMessage());
                }
            }
        }
        for (Route route : desired) {
            if (!route.equals(installed.get(route.destination()))) {
                try {
                    table.replace(route);
                    installed.put(route.destination(), route);
                    LOG.info("route to node {} pods {} via {}", route.node(), route.destination(), route.gateway());
                } catch (RuntimeException e) {
                    LOG.warn("could not route {} via {} (node {}): {}", route.destination(), route.gateway(), route.node(),
                            e.getMessage());
                }
            }
        }
    }

    /** Removes every route this reconciler wrote (the agent is stopping). */
    synchronized void removeAll() {
        for (Route route : List.copyOf(installed.values())) {
            try {
                table.delete(route);
            } catch (RuntimeException e) {
                LOG.debug("could not remove route to {}: {}", route.destination(), e.getMessage());
            }
        }
        installed.clear();
    }

    synchronized Map<String, Route> installed() {
        return Map.copyOf(installed);
    }
}
