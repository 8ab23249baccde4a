package io.capstan.agent.probes;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An httpGet probe as the kubelet makes it (pkg/probe/http): one GET over HTTP/1.1 (HTTPS without verifying the
 * certificate), User-Agent kube-probe and Accept *&#47;* unless the probe sets them, a Host header of its own if
 * given; 200–399 succeed; redirects on the same host are followed (up to 10), one to another host ends the probe
 * with a warning. Written over a socket because the JDK client will not send a Host header of the caller's choosing.
 */
final class HttpCheck {

    private static final int MAX_REDIRECTS = 10;

    private HttpCheck() {}

    static Outcome get(String scheme, String host, int port, String path, List<HTTPHeader> headers, String userAgent, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI url = url(scheme.toLowerCase(Locale.ROOT), host, port, path);
        String firstHost = url.getHost();
        String target = url.toString();
        try {
            for (int redirects = 0; ; redirects++) {
                Response res = exchange(url, headers, userAgent, deadline);
                String location = res.headers.get("location");
                if (res.status >= 300 && res.status < 400 && location != null && !location.isEmpty()) {
                    URI next = url.resolve(location);
                    if (next.getHost() != null && next.getHost().equalsIgnoreCase(firstHost)) {
                        if (redirects + 1 >= MAX_REDIRECTS) {
                            return Outcome.failure("Get \"" + next + "\": stopped after 10 redirects");
                        }
                        url = next;
                        target = next.toString();
                        continue;
                    }
                }
                if (res.status >= 200 && res.status < 400) {
                    if (res.status >= 300) {
                        return Outcome.warning("Probe terminated redirects, Response body: " + res.body);
                    }
                    return Outcome.success(res.body);
                }
                return Outcome.failure("HTTP probe failed with statuscode: " + res.status);
            }
        } catch (SocketTimeoutException e) {
            return Outcome.failure("Get \"" + target + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        } catch (IOException e) {
            return Outcome.failure("Get \"" + target + "\": " + TcpCheck.dialError(url.getHost(), port(url), e));
        }
    }

    /** The kubelet's formatURL: the probe's path (with its query) on scheme://host:port. */
    static URI url(String scheme, String host, int port, String path) {
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        return URI.create(scheme + "://" + TcpCheck.hostPort(host, port) + p);
    }

    private record Response(int status, Map<String, String> headers, String body) {}

    private static Response exchange(URI url, List<HTTPHeader> headers, String userAgent, long deadline) throws IOException {
        int remaining = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException();
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(url.getHost().replaceAll("^\\[|]$", ""), port(url)), remaining);
            socket.setSoTimeout(remaining);
            if (url.getScheme().equals("https")) {
                SSLSocket tls = (SSLSocket) insecureTls().getSocketFactory().createSocket(socket, url.getHost(), port(url), true);
                tls.startHandshake();
                socket = tls;
            }
            OutputStream out = socket.getOutputStream();
            out.write(request(url, headers, userAgent).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        } finally {
            socket.close();
        }
    }

    private static String request(URI url, List<HTTPHeader> headers, String userAgent) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (HTTPHeader header : headers) {
            h.computeIfAbsent(canonical(header.getName()), k -> new ArrayList<>()).add(header.getValue() == null ? "" : header.getValue());
        }
        String host = h.containsKey("Host") ? h.remove("Host").getFirst() : url.getRawAuthority();
        h.putIfAbsent("User-Agent", List.of(userAgent));
        h.putIfAbsent("Accept", List.of("*/*"));
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        h.forEach((name, values) -> values.forEach(v -> req.append(name).append(": ").append(v).append("\r\n")));
        return req.append("Connection: close\r\n\r\n").toString();
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response \"" + statusLine + "\"");
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (body.size() < Prober.MAX_OUTPUT) {
                String size = line(in).split(";")[0].trim();
                int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
                if (n == 0) {
                    break;
                }
                copy(in, body, n);
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            copy(in, body, (int) Math.min(Long.parseLong(headers.get("content-length")), Prober.MAX_OUTPUT));
        } else {
            copy(in, body, Prober.MAX_OUTPUT);
        }
        byte[] bytes = body.toByteArray();
        String text = new String(bytes, 0, Math.min(bytes.length, Prober.MAX_OUTPUT), StandardCharsets.UTF_8);
        return new Response(status, headers, text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int max) throws IOException {
        byte[] buf = new byte[4096];
        int left = max;
        while (left > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, left));
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 64 * 1024) {
                throw new IOException("HTTP header line too long");
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Go's CanonicalHeaderKey: "x-custom-header" → "X-Custom-Header". */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
    }

    private static SSLContext insecureTls() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
