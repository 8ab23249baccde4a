package io.capstan.network.dns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Kinds;
import io.capstan.client.ApiClient;
import io.capstan.client.Informer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS as `capstan server` runs it: informers of Services, EndpointSlices and Pods, a zone rebuilt from
 * them shortly after each change (changes in a burst are built once), a {@link DnsServer} answering from the latest
 * zone and forwarding other names to the host's resolvers, and Service kube-dns pointing at it.
 */
public final class ClusterDns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
    /** The records' TTL, as CoreDNS's kubernetes plugin by default. */
    static final long TTL = 5;
    private static final Duration REBUILD_DELAY = Duration.ofMillis(50);
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param domain the cluster domain (--cluster-domain)
     * @param serviceIp the cluster IP of Service kube-dns (--cluster-dns)
     * @param listen the address to listen on
     * @param port the port; when it is 53 and taken, a free port is used instead
     * @param advertise the address the kube-dns endpoints name (listen, unless that is the wildcard address)
     * @param nodeName the endpoint's node
     */
    public record Config(String domain, String serviceIp, InetAddress listen, int port, InetAddress advertise, String nodeName) {}

    private final List<Informer> informers;
    private final DnsServer server;
    private final DnsMetrics metrics = new DnsMetrics();
    private final ScheduledExecutorService rebuilds =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dns-zone").factory());
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final String domain;
    private volatile DnsZone zone;
    private volatile boolean synced;

    private ClusterDns(ApiClient api, Config config) throws IOException {
        this.domain = config.domain();
        informers = List.of(new Informer(api, Kinds.SERVICES, ""), new Informer(api, Kinds.ENDPOINT_SLICES, ""),
                new Informer(api, Kinds.PODS, ""));
        informers.get(0).addHandler(new Changes(ClusterDns.this::scheduleRebuild, o -> o));
        informers.get(1).addHandler(new Changes(ClusterDns.this::scheduleRebuild, o -> o));
        // A pod's status changes often (conditions, container states); only its addresses, phase and names make records.
        informers.get(2).addHandler(new Changes(ClusterDns.this::scheduleRebuild, pod -> java.util.Arrays.asList(
                pod.path("status").path("podIPs"), pod.path("status").path("phase"), pod.path("spec").path("hostname"),
                pod.path("spec").path("subdomain"))));
        List<InetSocketAddress> upstreams = HostResolvers.read(new InetSocketAddress(config.listen(), config.port()));
        if (upstreams.isEmpty()) {
            LOG.warn("no usable nameserver in {}: names outside {} get SERVFAIL", HostResolvers.hostFile(), domain);
        }
        server = DnsServer.start(config.listen(), config.port(), config.port() == HostResolvers.DNS_PORT,
                new DnsHandler(() -> zone, new Forwarder(upstreams, UPSTREAM_TIMEOUT), metrics));
    }

    /** Binds the DNS ports, starts the informers, and publishes Service kube-dns in the background. */
    public static ClusterDns start(ApiClient api, Config config) throws IOException {
        ClusterDns dns = new ClusterDns(api, config);
        dns.informers.forEach(Informer::start);
        InetSocketAddress advertised = new InetSocketAddress(config.advertise(), dns.address().getPort());
        Thread.ofVirtual().name("dns-sync").start(() -> dns.awaitSync(api, config, advertised));
        LOG.info("cluster DNS for {} listening on {} (UDP and TCP); Service kube-dns {} points at {}", config.domain(),
                dns.address(), config.serviceIp(), advertised);
        return dns;
    }

    /** Where the server listens. */
    public InetSocketAddress address() {
        return server.address();
    }

    public DnsMetrics metrics() {
        return metrics;
    }

    private void awaitSync(ApiClient api, Config config, InetSocketAddress advertised) {
        try {
            for (Informer informer : informers) {
                while (!informer.awaitSynced(Duration.ofSeconds(5))) {
                    LOG.info("cluster DNS still waiting for {} to sync", informer.type().qualifiedResource());
                }
            }
            synced = true;
            rebuild();
            for (long backoff = 200; ; backoff = Math.min(backoff * 2, 5000)) {
                try {
                    KubeDnsService.publish(api, config.serviceIp(), advertised, config.nodeName());
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("could not publish Service kube-dns (retrying): {}", e.getMessage());
                    Thread.sleep(backoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rebuilds on every add and delete, and on updates that change what the records are made of. */
    private record Changes(Runnable rebuild, java.util.function.Function<ObjectNode, Object> relevant) implements Informer.Handler {
        @Override
        public void added(ObjectNode object) {
            rebuild.run();
        }

        @Override
        public void updated(ObjectNode old, ObjectNode current) {
            if (!relevant.apply(old).equals(relevant.apply(current))) {
                rebuild.run();
            }
        }

        @Override
        public void deleted(ObjectNode object) {
            rebuild.run();
        }
    }

    private void scheduleRebuild() {
        if (synced && rebuildPending.compareAndSet(false, true)) {
            rebuilds.schedule(this::rebuild, REBUILD_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void rebuild() {
        rebuildPending.set(false);
        try {
            zone = ClusterRecords.build(domain, TTL, informers.get(0).list(), informers.get(1).list(), informers.get(2).list(),
                    System.currentTimeMillis() / 1000);
        } catch (RuntimeException e) {
            LOG.error("could not build the cluster DNS zone", e);
        }
    }

    @Override
    public void close() {
        server.close();
        informers.forEach(Informer::close);
        rebuilds.shutdownNow();
    }
}
