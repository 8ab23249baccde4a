package io.capstan.network.proxy;

import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.client.ApiClient;
import io.capstan.client.Informer;
import io.capstan.network.iptables.Iptables;
import io.capstan.network.iptables.IptablesException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service proxy of one node, as kube-proxy: watches Services and EndpointSlices and programs iptables from them
 * (or, where iptables is missing, forwards node ports in userspace). Closing removes everything it programmed.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
    static final ResourceType SERVICES = Kinds.SERVICES;
    static final ResourceType ENDPOINT_SLICES = Kinds.ENDPOINT_SLICES;
    private static final Duration SYNC_WAIT = Duration.ofSeconds(60);

    private final Informer services;
    private final Informer slices;
    private final ProxyBackend backend;
    private final SyncRunner runner;
    private final String mode;

    private ServiceProxy(ApiClient api, ProxyConfig config, ProxyBackend backend, String mode) {
        this.backend = backend;
        this.mode = mode;
        this.services = new Informer(api, SERVICES, "");
        this.slices = new Informer(api, ENDPOINT_SLICES, "");
        this.runner = new SyncRunner("service-proxy-sync", config.minSyncPeriod(), () -> sync(config.nodeName()));
        Informer.Handler trigger = new Informer.Handler() {
            @Override
            public void added(com.fasterxml.jackson.databind.node.ObjectNode object) {
                runner.trigger();
            }

            @Override
            public void updated(com.fasterxml.jackson.databind.node.ObjectNode old, com.fasterxml.jackson.databind.node.ObjectNode current) {
                runner.trigger();
            }

            @Override
            public void deleted(com.fasterxml.jackson.databind.node.ObjectNode object) {
                runner.trigger();
            }
        };
        services.addHandler(trigger);
        slices.addHandler(trigger);
    }

    /** Starts the proxy in iptables mode when iptables is installed, else in userspace mode. */
    public static ServiceProxy start(ApiClient api, ProxyConfig config) {
        return start(api, config, Iptables.find());
    }

    /** Starts the proxy with these iptables (e.g. inside a test's network namespace), or in userspace mode without. */
    public static ServiceProxy start(ApiClient api, ProxyConfig config, Optional<Iptables> iptables) {
        ProxyBackend backend = null;
        String mode = "userspace";
        if (iptables.isPresent()) {
            IptablesProxier proxier = new IptablesProxier(iptables.get(), config);
            try {
                proxier.init();
                backend = proxier;
                mode = "iptables";
            } catch (IptablesException e) {
                // e.g. not root: the node still gets its node ports
                LOG.warn("iptables cannot be used ({}): the service proxy runs in userspace and serves node ports only, not cluster IPs",
                        e.getMessage());
            }
        } else {
            LOG.warn("iptables not found: the service proxy runs in userspace and serves node ports only, not cluster IPs");
        }
        if (backend == null) {
            backend = new UserspaceProxy(config);
        }
        ServiceProxy proxy = new ServiceProxy(api, config, backend, mode);
        proxy.services.start();
        proxy.slices.start();
        proxy.runner.start();
        proxy.runner.trigger();
        LOG.info("service proxy started in {} mode", mode);
        return proxy;
    }

    /** "iptables" or "userspace". */
    public String mode() {
        return mode;
    }

    private void sync(String nodeName) {
        try {
            // Before both first lists, rules would reject every Service whose slices have not arrived yet.
            if (!services.awaitSynced(SYNC_WAIT) || !slices.awaitSynced(SYNC_WAIT)) {
                throw new IllegalStateException("Services and EndpointSlices not listed yet");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        backend.sync(ModelBuilder.build(services.list(), slices.list(), nodeName));
    }

    @Override
    public void close() {
        runner.close();
        services.close();
        slices.close();
        backend.close();
    }

    /**
     * Removes the iptables jumps and chains a proxy with this chain tag left on the host (e.g. when its process was
     * killed); nothing of any other tag is touched.
     */
    public static void removeLeftovers(String chainTag) {
        Iptables.find().ifPresent(ipt -> new IptablesProxier(ipt, new ProxyConfig("", java.util.List.of(), "0.0.0.0/32", chainTag, false,
                Duration.ZERO)).close());
    }

}
