package io.capstan.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.image.ImageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Pulls from OCI distribution (v2) registries over the JDK's HttpClient: manifests and blobs, redirects followed
 * by hand (credentials never leave the registry's host), anonymous, Bearer-token and Basic auth. HTTPS with
 * verified certificates, except for registries on loopback or listed as insecure, which are tried over HTTPS
 * without checks first and then over plain HTTP, as Docker does.
 */
final class RegistryClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final HttpClient verified;
    private final HttpClient unverified;
    private final Set<String> insecure;
    private final Map<String, String> schemes = new ConcurrentHashMap<>();

    RegistryClient(List<String> insecureRegistries, List<Path> caFiles) {
        this.insecure = Set.copyOf(insecureRegistries);
        this.verified = client(RegistryTls.trusting(caFiles), CONNECT_TIMEOUT);
        // Short: it also probes whether a registry speaks TLS, and a plain HTTP server may sit on a ClientHello.
        this.unverified = client(RegistryTls.insecure(), PROBE_TIMEOUT);
    }

    private static HttpClient client(javax.net.ssl.SSLContext tls, Duration connectTimeout) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    Session session(ImageReference ref, RegistryCredentials credentials) {
        return new Session(ref, credentials);
    }

    /** A manifest or index as the registry served it. */
    record Fetched(byte[] body, String mediaType) {}

    /** True for registries reached over plain HTTP when HTTPS fails: loopback addresses and those listed as insecure. */
    boolean isInsecure(String hostPort) {
        if (insecure.contains(hostPort)) {
            return true;
        }
        String host = hostPort.startsWith("[") ? hostPort.substring(1, hostPort.indexOf(']'))
                : hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        return insecure.contains(host) || host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** One pull's conversation with one repository, remembering the authorization it earned. */
    final class Session {
        private final ImageReference ref;
        private final RegistryCredentials credentials;
        private final String host;
        private String authorization;

        private Session(ImageReference ref, RegistryCredentials credentials) {
            this.ref = ref;
            this.credentials = credentials;
            this.host = ref.registryHost();
        }

        Fetched manifest(String reference) {
            try {
                HttpResponse<InputStream> r = get("/manifests/" + reference, Oci.ACCEPT);
                byte[] body;
                try (InputStream in = r.body()) {
                    expectOk(r, "manifest " + reference);
                    body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
                }
                if (body.length > MAX_MANIFEST_BYTES) {
                    throw new ImageException(Kind.INVALID, "manifest of " + ref + " is larger than 4 MiB");
                }
                String type = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
                return new Fetched(body, type);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }

        /** Downloads a blob into the store, verifying its digest; returns its size. */
        long blob(String digest, BlobStore store) {
            try {
                HttpResponse<InputStream> r = get("/blobs/" + digest, null);
                try (InputStream in = r.body()) {
                    expectOk(r, "blob " + digest);
                    return store.put(digest, in);
                }
            } catch (BlobStore.DigestMismatchException e) {
                throw new ImageException(Kind.INVALID, "blob " + digest + " of " + ref + " failed verification: " + e.getMessage(), e);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }

        private HttpResponse<InputStream> get(String path, String accept) throws IOException {
            HttpResponse<InputStream> r = exchange(path, accept);
            if (r.statusCode() == 401) {
                String header = r.headers().firstValue("WWW-Authenticate").orElse(null);
                r.body().close();
                authenticate(Challenge.parse(header));
                r = exchange(path, accept);
            }
            return r;
        }

        private HttpResponse<InputStream> exchange(String path, String accept) throws IOException {
            String scheme = schemes.get(host);
            if (scheme == null) {
                if (!isInsecure(host)) {
                    scheme = "https";
                } else {
                    try {
                        HttpResponse<InputStream> r = send(URI.create("https://" + host + "/v2/" + ref.path() + path), accept);
                        schemes.put(host, "https");
                        return r;
                    } catch (SSLException | HttpConnectTimeoutException e) {
                        scheme = "http"; // the registry speaks plain HTTP
                    }
                }
                schemes.put(host, scheme);
            }
            return send(URI.create(scheme + "://" + host + "/v2/" + ref.path() + path), accept);
        }

        private HttpResponse<InputStream> send(URI uri, String accept) throws IOException {
            for (int hop = 0; hop < 10; hop++) {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).GET();
                if (accept != null) {
                    b.header("Accept", accept);
                }
                if (authorization != null && host.equalsIgnoreCase(uri.getRawAuthority())) {
                    b.header("Authorization", authorization);
                }
                HttpResponse<InputStream> r = call(uri, b.build());
                int s = r.statusCode();
                if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
                    return r;
                }
                String location = r.headers().firstValue("Location").orElse(null);
                r.body().close();
                if (location == null) {
                    throw new ImageException(Kind.INVALID, "registry " + host + " redirected without a Location");
                }
                uri = uri.resolve(location);
            }
            throw new ImageException(Kind.INVALID, "registry " + host + " redirected more than 10 times");
        }

        private HttpResponse<InputStream> call(URI uri, HttpRequest request) throws IOException {
            HttpClient c = uri.getScheme().equals("https") && isInsecure(uri.getRawAuthority()) ? unverified : verified;
            try {
                return c.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageException(Kind.UNREACHABLE, "pull of " + ref + " interrupted", e);
            }
        }

        private void authenticate(Challenge challenge) throws IOException {
            if (challenge == null) {
                throw denied();
            }
            if (challenge.scheme().equals("basic")) {
                if (credentials == null) {
                    throw denied();
                }
                authorization = basic();
                return;
            }
            if (!challenge.scheme().equals("bearer") || challenge.param("realm") == null) {
                throw new ImageException(Kind.UNAUTHORIZED, "registry " + host + " asks for an unsupported authentication scheme: " + challenge.scheme());
            }
            StringBuilder url = new StringBuilder(challenge.param("realm"));
            url.append(url.indexOf("?") < 0 ? '?' : '&');
            if (challenge.param("service") != null) {
                url.append("service=").append(encode(challenge.param("service"))).append('&');
            }
            String scope = challenge.param("scope") != null ? challenge.param("scope") : "repository:" + ref.path() + ":pull";
            url.append("scope=").append(encode(scope));
            URI uri = URI.create(url.toString());
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).GET();
            if (credentials != null) {
                b.header("Authorization", basic());
            }
            HttpResponse<InputStream> r = call(uri, b.build());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(1 << 20);
                if (r.statusCode() == 401 || r.statusCode() == 403) {
                    throw credentials != null ? wrongPassword() : denied();
                }
                if (r.statusCode() != 200) {
                    throw new ImageException(Kind.UNREACHABLE, "token service " + uri.getHost() + " of registry " + host + " answered HTTP " + r.statusCode());
                }
                JsonNode json = Oci.parse(body, "token from " + uri.getHost());
                String token = json.path("token").asText(json.path("access_token").asText(""));
                if (token.isEmpty()) {
                    throw new ImageException(Kind.UNAUTHORIZED, "token service " + uri.getHost() + " of registry " + host + " returned no token");
                }
                authorization = "Bearer " + token;
            }
        }

        private String basic() {
            String pair = credentials.username() + ":" + credentials.password();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        private void expectOk(HttpResponse<InputStream> r, String what) throws IOException {
            int s = r.statusCode();
            if (s == 200) {
                return;
            }
            String detail = errorDetail(r.body().readNBytes(64 << 10));
            switch (s) {
                case 401 -> throw credentials != null ? wrongPassword() : denied();
                case 403 -> throw new ImageException(Kind.UNAUTHORIZED, "pull access denied for " + ref + ": registry " + host + " refused access" + detail);
                case 404 -> throw new ImageException(Kind.NOT_FOUND, "image \"" + ref + "\" not found: " + what + " unknown to registry " + host + detail);
                case 429 -> throw new ImageException(Kind.UNREACHABLE, "registry " + host + " limits requests (HTTP 429) while pulling " + ref + detail);
                default -> throw new ImageException(s >= 500 ? Kind.UNREACHABLE : Kind.INVALID,
                        "registry " + host + " answered HTTP " + s + " for " + what + " of " + ref + detail);
            }
        }

        private ImageException denied() {
            return new ImageException(Kind.UNAUTHORIZED, "pull access denied for " + ref
                    + ": the repository does not exist or registry " + host + " needs credentials (unauthorized)");
        }

        private ImageException wrongPassword() {
            return new ImageException(Kind.UNAUTHORIZED, "unauthorized: registry " + host + " refused user \"" + credentials.username()
                    + "\" for " + ref + " (wrong user name or password, or no access to the repository)");
        }

        private ImageException unreachable(IOException e) {
            String why = e instanceof HttpConnectTimeoutException ? "connection timed out"
                    : e instanceof HttpTimeoutException ? "no answer in time"
                    : e.getCause() instanceof java.nio.channels.UnresolvedAddressException ? "unknown host"
                    : e instanceof ConnectException ? "connection refused"
                    : e instanceof SSLException ? "TLS failed (" + e.getMessage() + "); add its CA or list it as an insecure registry"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new ImageException(Kind.UNREACHABLE, "cannot reach registry " + host + " to pull " + ref + ": " + why, e);
        }
    }

    private static String errorDetail(byte[] body) {
        try {
            JsonNode errors = Oci.JSON.readTree(body).path("errors");
            StringBuilder sb = new StringBuilder();
            for (JsonNode e : errors) {
                sb.append(sb.isEmpty() ? " (" : "; ").append(e.path("code").asText("").toLowerCase(Locale.ROOT).replace('_', ' '));
                String message = e.path("message").asText("");
                if (!message.isEmpty() && !message.equalsIgnoreCase(e.path("code").asText("").replace('_', ' '))) {
                    sb.append(": ").append(message);
                }
            }
            return sb.isEmpty() ? "" : sb.append(')').toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
