package io.capstan.agent.server;

import io.capstan.agent.stats.AgentMetrics;
import io.capstan.agent.stats.NodeStats;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The agent's HTTPS server, where the API server reaches a node as it reaches a kubelet: container logs,
 * exec and attach, the stats summary and Prometheus metrics. Only clients with a certificate signed by the cluster CA get in (the API server has one).
 */
public final class AgentServer implements AutoCloseable {

    /** The kubelet's port. */
    public static final int DEFAULT_PORT = 10250;

    /**
     * How to serve.
     *
     * @param keyStore the agent's serving certificate and key
     * @param trustStore the cluster CA: client certificates must chain to it
     */
    public record Config(String bindAddress, int port, KeyStore keyStore, char[] keyStorePassword, KeyStore trustStore) {}

    private final Server server;
    private final ServerConnector connector;

    /** A server without stats: /stats/summary and /metrics answer 404. */
    public AgentServer(Config config, PodStreams pods) {
        this(config, pods, null, null);
    }

    public AgentServer(Config config, PodStreams pods, NodeStats stats, AgentMetrics metrics) {
        QueuedThreadPool pool = new QueuedThreadPool(32);
        pool.setName("agent-server");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        server.setStopTimeout(2_000);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.addCustomizer(new SecureRequestCustomizer(false));

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(config.keyStore());
        ssl.setKeyStorePassword(new String(config.keyStorePassword()));
        ssl.setTrustStore(config.trustStore());
        ssl.setNeedClientAuth(true);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);

        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);
        AgentHandler streams = new AgentHandler(pods, ServerWebSocketContainer.ensure(server), Clock.systemUTC());
        server.setHandler(stats == null ? streams : new Handler.Sequence(new StatsHandler(stats, metrics), streams));
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the agent server", e);
        }
    }
}
