package io.capstan.network.proxy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The userspace proxy's choice of endpoint: round robin, or the client's previous endpoint under ClientIP affinity. */
final class Balancer {

    private record Sticky(Endpoint endpoint, long until) {}

    private volatile List<Endpoint> endpoints = List.of();
    private volatile int affinitySeconds;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<InetAddress, Sticky> sticky = new ConcurrentHashMap<>();

    void update(List<Endpoint> endpoints, int affinitySeconds) {
        this.endpoints = List.copyOf(endpoints);
        this.affinitySeconds = affinitySeconds;
        sticky.values().removeIf(s -> !endpoints.contains(s.endpoint()));
    }

    /** An endpoint for a new connection from client; null when there is none. */
    Endpoint pick(InetAddress client) {
        List<Endpoint> now = endpoints;
        if (now.isEmpty()) {
            return null;
        }
        long time = System.nanoTime();
        if (affinitySeconds > 0) {
            Sticky s = sticky.get(client);
            if (s != null && s.until() - time > 0 && now.contains(s.endpoint())) {
                sticky.put(client, new Sticky(s.endpoint(), time + affinitySeconds * 1_000_000_000L));
                return s.endpoint();
            }
        }
        Endpoint e = now.get(Math.floorMod(next.getAndIncrement(), now.size()));
        if (affinitySeconds > 0) {
            sticky.put(client, new Sticky(e, time + affinitySeconds * 1_000_000_000L));
        }
        return e;
    }
}
