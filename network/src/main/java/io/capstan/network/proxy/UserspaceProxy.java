package io.capstan.network.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy where iptables is missing: Java sockets on the node forward node ports (on every address, 0.0.0.0) and
 * LoadBalancer ports (on the node's addresses) to the endpoints, round robin or sticky per client IP.
 *
 * <p>What it cannot do: cluster IPs (no address on the node answers for them without iptables), keep the client's
 * source address (endpoints see the node; so externalTrafficPolicy Local only narrows the endpoints), SCTP, or reject
 * connections to ports without endpoints before accepting them (the connection is accepted and closed).
 */
final class UserspaceProxy implements ProxyBackend {

    private static final Logger LOG = LoggerFactory.getLogger(UserspaceProxy.class);

    /** One listening address of one service port. */
    private record Listen(String protocol, String ip, int port) {}

    private final ProxyConfig config;
    private final Map<Listen, Forwarder> forwarders = new HashMap<>();
    private final Map<Listen, Balancer> balancers = new HashMap<>();
    private final Set<Listen> failed = new HashSet<>();

    UserspaceProxy(ProxyConfig config) {
        this.config = config;
    }

    @Override
    public synchronized void sync(ProxyModel model) {
        Map<Listen, ServicePort> wanted = new HashMap<>();
        for (ServicePort port : model.services().values()) {
            if (port.protocol().equals("SCTP")) {
                continue;
            }
            if (port.nodePort() > 0) {
                wanted.put(new Listen(port.protocol(), "0.0.0.0", port.nodePort()), port);
            }
            if (port.loadBalancer()) {
                config.nodeIPs().forEach(ip -> wanted.put(new Listen(port.protocol(), ip, port.port()), port));
            }
        }
        for (Listen gone : Set.copyOf(forwarders.keySet())) {
            if (!wanted.containsKey(gone)) {
                forwarders.remove(gone).close();
                balancers.remove(gone);
            }
        }
        failed.retainAll(wanted.keySet());
        wanted.forEach((listen, port) -> {
            List<Endpoint> endpoints = port.externalLocal() ? model.localEndpoints(port) : model.clusterEndpoints(port);
            Balancer balancer = balancers.computeIfAbsent(listen, l -> new Balancer());
            balancer.update(endpoints, port.affinitySeconds());
            if (!forwarders.containsKey(listen) && !failed.contains(listen)) {
                try {
                    InetSocketAddress address = new InetSocketAddress(listen.ip(), listen.port());
                    forwarders.put(listen, listen.protocol().equals("UDP") ? new UdpForwarder(address, balancer) : new TcpForwarder(address, balancer));
                } catch (IOException e) {
                    failed.add(listen);
                    LOG.warn("userspace proxy: cannot listen on {}:{}/{} for {}: {}", listen.ip(), listen.port(), listen.protocol(),
                            port.name(), e.getMessage());
                }
            }
        });
    }

    /** The ports listened on, for tests. */
    synchronized Set<Integer> listening() {
        Set<Integer> ports = new HashSet<>();
        forwarders.keySet().forEach(l -> ports.add(l.port()));
        return ports;
    }

    @Override
    public synchronized void close() {
        forwarders.values().forEach(Forwarder::close);
        forwarders.clear();
        balancers.clear();
    }
}
