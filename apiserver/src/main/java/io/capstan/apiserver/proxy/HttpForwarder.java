package io.capstan.apiserver.proxy;

import io.capstan.api.StatusException;
import io.capstan.apiserver.http.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sends the client's request on to a backend and streams the answer back, as kube-apiserver's reverse proxy
 * does: any method, the query string and body as they came, the client's headers minus hop-by-hop ones and its
 * credentials (kube-apiserver drops Authorization once it has authenticated), and the backend's status, headers
 * (minus CORS, which only the API server decides) and body piece by piece, so long answers stream.
 */
final class HttpForwarder {

    /** Hop-by-hop headers and the ones the JDK client sets itself (it refuses to be given them). */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "authorization", "http2-settings");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "te", "trailer", "transfer-encoding", "upgrade", "content-length", "content-type");

    private HttpForwarder() {}

    static void forward(Exchange exchange, HttpClient client, URI target) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).method(exchange.method(), body(exchange));
        for (String name : exchange.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || lower.startsWith("impersonate-")) {
                continue;
            }
            for (String value : exchange.headers(name)) {
                try {
                    request.header(name, value);
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client owns (e.g. Date): the backend gets the client's own
                }
            }
        }
        String forwardedFor = exchange.header("X-Forwarded-For");
        String remote = exchange.remoteAddress();
        request.setHeader("X-Forwarded-For", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(target, e);
        } catch (IOException e) {
            throw ProxyLocations.serviceUnavailable("error trying to reach service: " + e.getMessage());
        }
        exchange.ignoreIdleTimeout(); // a streamed answer may pause for long
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_RETURNED.contains(lower) || lower.startsWith("access-control-") || lower.startsWith(":")) {
                continue;
            }
            header.getValue().forEach(v -> exchange.addHeader(header.getKey(), v));
        }
        String type = response.headers().firstValue("Content-Type").orElse(null);
        try (InputStream in = response.body()) {
            OutputStream out = exchange.openStream(response.statusCode(), type);
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush(); // pieces go out as they come (a log stream, server-sent events)
            }
        }
    }

    private static HttpRequest.BodyPublisher body(Exchange exchange) {
        String length = exchange.header("Content-Length");
        boolean chunked = exchange.header("Transfer-Encoding") != null;
        if (!chunked && (length == null || length.equals("0"))) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(exchange::bodyStream);
        // With a known length the backend gets Content-Length, not chunks (busybox httpd reads no chunked bodies).
        return chunked ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, Long.parseLong(length));
    }

    /** Go's wording, which kube-apiserver passes on: "error trying to reach service: dial tcp IP:PORT: connect: connection refused". */
    private static StatusException unreachable(URI target, Exception e) {
        int port = target.getPort() > 0 ? target.getPort() : target.getScheme().equals("https") ? 443 : 80;
        String why = e instanceof HttpConnectTimeoutException ? "i/o timeout" : "connect: connection refused";
        return ProxyLocations.serviceUnavailable("error trying to reach service: dial tcp " + target.getHost() + ":" + port + ": " + why);
    }
}
