package io.capstan.network.ingress;

import io.capstan.api.Kinds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import io.capstan.client.ApiClient;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Indexes;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in Ingress controller of one node: watches Ingresses, IngressClasses, Services, EndpointSlices and Secrets,
 * serves the Ingresses of Capstan's classes (and those without a class) on its HTTP and HTTPS ports, and publishes
 * the node's addresses in their status.
 */
public final class NodeIngress implements AutoCloseable {

    /**
     * How the node's ingress is set up.
     *
     * @param nodeAddresses the node's InternalIP(s), written to status.loadBalancer.ingress
     * @param httpPort 80 by default; 0 picks a free port
     * @param httpsPort 443 by default; 0 picks a free port
     */
    public record Config(List<String> nodeAddresses, String bindAddress, int httpPort, int httpsPort) {}

    private static final Logger LOG = LoggerFactory.getLogger(NodeIngress.class);
    static final ResourceType INGRESSES = Kinds.INGRESSES;
    static final ResourceType INGRESS_CLASSES = Kinds.INGRESS_CLASSES;
    static final ResourceType ENDPOINT_SLICES = Kinds.ENDPOINT_SLICES;
    static final ResourceType SERVICES = Kinds.SERVICES;
    static final ResourceType SECRETS = Kinds.SECRETS;

    private final List<Informer> informers = new ArrayList<>();
    private final Informer ingresses;
    private final Informer classes;
    private final Informer secrets;
    private final IngressTable table;
    private final ControllerLoop status;
    private final IngressProxy proxy;

    private NodeIngress(ApiClient api, Config config) throws Exception {
        ingresses = watch(api, INGRESSES);
        classes = watch(api, INGRESS_CLASSES);
        secrets = watch(api, SECRETS);
        Informer services = watch(api, SERVICES);
        Informer slices = watch(api, ENDPOINT_SLICES);
        table = new IngressTable(ingresses, classes, secrets, SelfSignedCertificate.create());
        status = new ControllerLoop("ingress-status", new IngressStatus(api, INGRESSES, ingresses, table::classes,
                config.nodeAddresses()), 1);
        Informer.Handler rebuildAndEnqueueAll = new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                changed();
            }

            @Override
            public void updated(ObjectNode old, ObjectNode current) {
                changed();
            }

            @Override
            public void deleted(ObjectNode object) {
                changed();
            }

            private void changed() {
                table.rebuild();
                ingresses.list().forEach(i -> status.queue().add(ObjectCache.key(i)));
            }
        };
        ingresses.addHandler(rebuildAndEnqueueAll);
        classes.addHandler(rebuildAndEnqueueAll);
        secrets.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                table.secretChanged(object);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode current) {
                table.secretChanged(current);
            }

            @Override
            public void deleted(ObjectNode object) {
                table.secretChanged(object);
            }
        });
        proxy = new IngressProxy(new IngressProxy.Config(config.bindAddress(), config.httpPort(), config.httpsPort()),
                table::rules, new ServiceEndpoints(services, slices), table.keyManager());
    }

    private Informer watch(ApiClient api, ResourceType type) {
        Informer informer = Indexes.standard(new Informer(api, type, ""));
        informers.add(informer);
        return informer;
    }

    /** Starts watching and listening; fails when a port is taken, having stopped what it started. */
    public static NodeIngress start(ApiClient api, Config config) throws Exception {
        NodeIngress ingress = new NodeIngress(api, config);
        try {
            ingress.proxy.start();
        } catch (Exception e) {
            ingress.close();
            throw e;
        }
        ingress.informers.forEach(Informer::start);
        ingress.status.start();
        LOG.info("ingress listening on HTTP port {} and HTTPS port {}", ingress.httpPort(), ingress.httpsPort());
        return ingress;
    }

    public int httpPort() {
        return proxy.httpPort();
    }

    public int httpsPort() {
        return proxy.httpsPort();
    }

    @Override
    public void close() {
        proxy.close();
        status.close();
        informers.forEach(Informer::close);
    }
}
