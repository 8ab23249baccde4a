package io.capstan.apiserver.proxy;

import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Sends the client's request on to a backend and streams the answer back, as kube-apiserver's reverse proxy
 * does: any method, the query string and body as they came, the client's headers minus hop-by-hop ones and its
 * credentials (kube-apiserver drops Authorization once it has authenticated), and the backend's status, headers
 * (minus CORS, which only the API server decides) and body piece by piece, so long answers stream.
 */
final class HttpForwarder {

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "authorization", "http2-settings");
    /** Hop-by-hop, and the ones the API server's own answer sets (Date, the framing, the type given separately). */
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "te", "trailer", "transfer-encoding", "upgrade", "content-length", "content-type", "date", "server");
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;

    private HttpForwarder(HttpClient client) {
        this.client = client;
    }

    /**
     * A forwarder with its own client: TLS without checking the backend's certificate (as kube-apiserver's proxy
     * transport), showing the given keys if any; no redirects followed, no compression asked for or undone.
     */
    static HttpForwarder start(SslContextFactory.Client tls, String name) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(Duration.ofSeconds(10));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName(name);
        pool.setDaemon(true); // the server's shutdown does not wait on idle proxy connections
        client.setExecutor(pool);
        client.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", true));
        client.setFollowRedirects(false);
        client.setUserAgentField(null); // the client's own User-Agent goes on
        client.getContentDecoderFactories().clear();
        client.setIdleTimeout(Duration.ofHours(1).toMillis()); // streamed answers (log follows, events) may pause long
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the proxy's HTTP client", e);
        }
        return new HttpForwarder(client);
    }

    void forward(Exchange exchange, URI target) throws IOException, InterruptedException {
        Request request = client.newRequest(target).method(exchange.method());
        request.headers(headers -> {
            headers.remove("Accept-Encoding");
            for (String name : exchange.headerNames()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!NOT_FORWARDED.contains(lower) && !lower.startsWith("impersonate-")) {
                    exchange.headers(name).forEach(v -> headers.add(name, v));
                }
            }
            String forwardedFor = exchange.header("X-Forwarded-For");
            String remote = exchange.remoteAddress();
            headers.put("X-Forwarded-For", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        });
        body(exchange, request);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(HEADERS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw unreachable(target, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            request.abort(e);
            throw unreachable(target, e);
        }
        exchange.ignoreIdleTimeout();
        for (HttpField field : response.getHeaders()) {
            String lower = field.getLowerCaseName();
            if (!NOT_RETURNED.contains(lower) && !lower.startsWith("access-control-")) {
                exchange.addHeader(field.getName(), field.getValue());
            }
        }
        String type = response.getHeaders().get("Content-Type");
        try (InputStream in = listener.getInputStream()) {
            OutputStream out = exchange.openStream(response.getStatus(), type);
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush(); // pieces go out as they come
            }
        }
    }

    /** A body of known length goes on with it; a chunked one (or one too big to hold) is streamed in chunks. */
    private static void body(Exchange exchange, Request request) {
        String length = exchange.header("Content-Length");
        boolean chunked = exchange.header("Transfer-Encoding") != null;
        String type = exchange.contentType();
        if (!chunked && (length == null || length.equals("0"))) {
            return;
        }
        if (!chunked && Long.parseLong(length) <= Exchange.MAX_BODY) {
            request.body(new BytesRequestContent(type, exchange.body()));
        } else {
            request.body(new InputStreamRequestContent(type, exchange.bodyStream()));
        }
    }

    /** Go's wording, which kube-apiserver passes on: "error trying to reach service: dial tcp IP:PORT: connect: connection refused". */
    private static StatusException unreachable(URI target, Throwable e) {
        int port = target.getPort() > 0 ? target.getPort() : target.getScheme().equals("https") ? 443 : 80;
        String dial = "dial tcp " + target.getHost() + ":" + port + ": ";
        String why = e instanceof ConnectException ? dial + "connect: connection refused"
                : e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException ? dial + "i/o timeout"
                : String.valueOf(e.getMessage());
        return ProxyLocations.serviceUnavailable("error trying to reach service: " + why);
    }
}
