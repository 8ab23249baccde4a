package io.capstan.apiserver;

import io.capstan.api.Kinds;
import io.capstan.api.ResourceRegistry;
import io.capstan.apiserver.admission.ValidatingAdmission;
import io.capstan.apiserver.admission.imagepolicy.ImagePolicy;
import io.capstan.apiserver.admission.imagepolicy.ImagePolicyAdmission;
import io.capstan.apiserver.admission.limitranger.LimitRangerAdmission;
import io.capstan.apiserver.admission.resourcequota.ResourceQuotaAdmission;
import io.capstan.apiserver.admission.podsecurity.Evaluator;
import io.capstan.apiserver.admission.podsecurity.PodSecurityAdmission;
import io.capstan.apiserver.admission.podsecurity.PodSecurityConfig;
import io.capstan.apiserver.audit.Auditor;
import io.capstan.apiserver.auth.Authenticator;
import io.capstan.apiserver.auth.ChainAuthenticator;
import io.capstan.apiserver.auth.ServiceAccountAuthenticator;
import io.capstan.apiserver.auth.ServiceAccountTokens;
import io.capstan.apiserver.authz.RbacAuthorizer;
import io.capstan.apiserver.authz.RbacCache;
import io.capstan.apiserver.authz.RbacEscalation;
import io.capstan.apiserver.authz.RbacPolicy;
import io.capstan.apiserver.authz.Reviews;
import io.capstan.apiserver.crd.CustomResourceServing;
import io.capstan.apiserver.discovery.DiscoveryDocuments;
import io.capstan.apiserver.endpoints.ResourceHandler;
import io.capstan.apiserver.metrics.ResourceMetrics;
import io.capstan.apiserver.openapi.OpenApiDocuments;
import io.capstan.apiserver.openapi.OpenApiEndpoint;
import io.capstan.apiserver.registry.GenericRegistry;
import io.capstan.apiserver.registry.TokenRequests;
import io.capstan.store.Store;
import io.capstan.apiserver.streams.KubeletClient;
import io.capstan.apiserver.proxy.ProxySubresources;
import io.capstan.apiserver.streams.PodStreamProxy;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/** The Kubernetes API over HTTPS: Jetty with the cluster's certificates, handlers on virtual threads. */
public final class ApiServer implements AutoCloseable {

    /**
     * How to serve.
     *
     * @param keyStore the serving certificate and key
     * @param trustStore the cluster CA, to verify client certificates
     * @param bookmarkInterval how often watches that allow bookmarks get one
     * @param kubeletClientKeyStore the certificate the server shows agents for logs and exec (password: keyStorePassword)
     * @param serviceAccountKey signs service account tokens; null: no TokenRequest, no token authentication, no ServiceAccount admission
     */
    public record Config(String bindAddress, int port, KeyStore keyStore, char[] keyStorePassword, KeyStore trustStore,
                         Duration bookmarkInterval, KeyStore kubeletClientKeyStore, KeyPair serviceAccountKey) {}

    private final Server server;
    private final ServerConnector connector;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final GenericRegistry registry;
    private final CustomResourceServing customResources;
    private final OpenApiDocuments openApi;
    private final RbacCache rbac;
    private final ApiHandler handler;
    private final ResourceHandler resources;
    private Auditor auditor;

    public ApiServer(Config config, Store store, ResourceRegistry types, Authenticator authenticator) throws GeneralSecurityException {
        QueuedThreadPool pool = new QueuedThreadPool(64);
        pool.setName("api");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        server.setStopTimeout(5_000);
        server.setErrorHandler(new io.capstan.apiserver.http.StatusErrorHandler());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.addCustomizer(new SecureRequestCustomizer(false));

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(config.keyStore());
        ssl.setKeyStorePassword(new String(config.keyStorePassword()));
        ssl.setTrustStore(config.trustStore());
        ssl.setWantClientAuth(true);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);

        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);

        ResourceMetrics.TYPES.forEach(types::add);
        registry = new GenericRegistry(store, types, Clock.systemUTC());
        customResources = new CustomResourceServing(registry, types, Clock.systemUTC());
        KubeletClient kubelets = new KubeletClient(config.kubeletClientKeyStore(), config.keyStorePassword());
        HealthChecks health = new HealthChecks(() -> healthy(store), () -> !stopping.get());
        openApi = new OpenApiDocuments(types);
        RbacPolicy policy = new RbacPolicy();
        rbac = new RbacCache(store, types, policy);
        RbacAuthorizer authorizer = new RbacAuthorizer(policy);
        ServiceAccountTokens saTokens = config.serviceAccountKey() == null ? null : new ServiceAccountTokens(config.serviceAccountKey());
        List<String> audiences = List.of(ServiceAccountTokens.ISSUER);
        if (saTokens != null) {
            authenticator = new ChainAuthenticator(List.of(authenticator,
                    new ServiceAccountAuthenticator(saTokens, registry::find, audiences, Clock.systemUTC())));
            registry.serviceAccountAdmission(true);
        }
        resources = new ResourceHandler(types, registry, config.bookmarkInterval(), new RbacEscalation(authorizer, policy),
                new PodStreamProxy(registry, kubelets), new ResourceMetrics(registry, kubelets, Clock.systemUTC()));
        resources.proxies(new ProxySubresources(registry, kubelets));
        if (saTokens != null) {
            resources.tokenRequests(new TokenRequests(registry, saTokens, audiences, Clock.systemUTC()));
        }
        admission(PodSecurityConfig.DEFAULT, null);
        handler = new ApiHandler(authenticator, authorizer, new Reviews(authorizer, policy, authenticator, audiences), health,
                new DiscoveryDocuments(types), new OpenApiEndpoint(openApi),
                resources, ServerWebSocketContainer.ensure(server));
        handler.caPem(caPem(config.trustStore()));
        server.setHandler(handler);
    }

    /**
     * The validating admission plugins (call before start): PodSecurity, always on as in Kubernetes, with this
     * configuration; the image policy when one is given.
     */
    public void admission(PodSecurityConfig podSecurity, ImagePolicy imagePolicy) {
        List<ValidatingAdmission> plugins = new java.util.ArrayList<>();
        plugins.add(new PodSecurityAdmission(podSecurity, Evaluator.defaultChecks(),
                name -> registry.find(Kinds.NAMESPACES, "", name), namespace -> registry.list(Kinds.PODS, namespace)));
        plugins.add(new LimitRangerAdmission(namespace -> registry.list(Kinds.LIMIT_RANGES, namespace)));
        plugins.add(new ResourceQuotaAdmission(namespace -> registry.list(Kinds.RESOURCE_QUOTAS, namespace), registry::list));
        if (imagePolicy != null) {
            plugins.add(new ImagePolicyAdmission(imagePolicy));
        }
        resources.admission(ValidatingAdmission.all(plugins));
    }

    /** The registry the server writes through; in-process components use the same pipeline. */
    public GenericRegistry registry() {
        return registry;
    }

    /** The trusted CA certificates as PEM, served at /cacerts. */
    private static String caPem(java.security.KeyStore trust) {
        if (trust == null) {
            return null;
        }
        try {
            StringBuilder pem = new StringBuilder();
            for (String alias : java.util.Collections.list(trust.aliases())) {
                java.security.cert.Certificate cert = trust.getCertificate(alias);
                if (cert != null) {
                    pem.append("-----BEGIN CERTIFICATE-----\n")
                            .append(java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                                    .encodeToString(cert.getEncoded()))
                            .append("\n-----END CERTIFICATE-----\n");
                }
            }
            return pem.toString();
        } catch (java.security.GeneralSecurityException e) {
            return null;
        }
    }

    private static boolean healthy(Store store) {
        try {
            store.currentRevision();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Audits every request with auditor (call before start); the server closes it when it stops. */
    public void audit(Auditor auditor) {
        this.auditor = auditor;
        handler.auditor(auditor);
    }

    public void start() throws Exception {
        customResources.start(); // stored definitions are served before the first request
        rbac.start(); // and the first request is judged on the whole stored policy
        server.start();
        Thread.ofVirtual().name("openapi-warm").start(openApi::warm);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        stopping.set(true);
        customResources.close();
        rbac.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the API server", e);
        } finally {
            if (auditor != null) {
                auditor.close(); // after the last request, so its event is written
            }
        }
    }
}
