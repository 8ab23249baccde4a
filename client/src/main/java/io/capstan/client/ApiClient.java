package io.capstan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one way components talk to the API: HTTPS requests with the component's token, objects as
 * JSON trees, failures as the StatusException the server answered. In-process components use it
 * over loopback, so they take the same path as remote ones.
 */
public final class ApiClient implements Api {

    /** Media types of the patches the API accepts. */
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI server;
    private final String token;
    private final String userAgent;

    private ApiClient(HttpClient http, URI server, String token, String userAgent) {
        this.http = http;
        this.server = server;
        this.token = token;
        this.userAgent = userAgent;
    }

    /** A client for this configuration; userAgent names the component (it becomes the default field manager). */
    public static ApiClient create(ClientConfig config, String userAgent) {
        HttpClient http = HttpClient.newBuilder().sslContext(sslContext(config.caPem()))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        return new ApiClient(http, config.server(), config.token(), userAgent);
    }

    @Override
    public ObjectNode get(ResourceType type, String namespace, String name) {
        return send("GET", Paths.object(type, namespace, name, ""), null, null);
    }

    @Override
    public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        try {
            return Optional.of(get(type, namespace, name));
        } catch (StatusException e) {
            if (e.code() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
        return send("POST", Paths.collection(type, namespace), "application/json", object);
    }

    @Override
    public ObjectNode createSubresource(ResourceType type, String namespace, String name, String subresource, ObjectNode body) {
        return send("POST", Paths.object(type, namespace, name, subresource), "application/json", body);
    }

    @Override
    public ObjectNode update(ResourceType type, String namespace, String name, String subresource, ObjectNode object) {
        return send("PUT", Paths.object(type, namespace, name, subresource), "application/json", object);
    }

    @Override
    public ObjectNode patch(ResourceType type, String namespace, String name, String subresource, String patchType, JsonNode patch) {
        return send("PATCH", Paths.object(type, namespace, name, subresource), patchType, patch);
    }

    @Override
    public ObjectNode delete(ResourceType type, String namespace, String name, String propagationPolicy, String preconditionUid) {
        ObjectNode options = Json.object().put("kind", "DeleteOptions").put("apiVersion", "v1");
        if (propagationPolicy != null) {
            options.put("propagationPolicy", propagationPolicy);
        }
        if (preconditionUid != null) {
            options.putObject("preconditions").put("uid", preconditionUid);
        }
        return send("DELETE", Paths.object(type, namespace, name, ""), "application/json", options);
    }

    @Override
    public ObjectNode deleteImmediately(ResourceType type, String namespace, String name, String preconditionUid) {
        ObjectNode options = Json.object().put("kind", "DeleteOptions").put("apiVersion", "v1").put("gracePeriodSeconds", 0);
        options.putObject("preconditions").put("uid", preconditionUid);
        return send("DELETE", Paths.object(type, namespace, name, ""), "application/json", options);
    }

    /** One page of a list; namespace "" lists across all namespaces. */
    public ListPage list(ResourceType type, String namespace, Map<String, String> query) {
        ObjectNode list = send("GET", Paths.collection(type, namespace) + Paths.query(query), null, null);
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            ObjectNode obj = (ObjectNode) item;
            // Lists leave apiVersion and kind off their items; put them back so items look like gets.
            obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
            items.add(obj);
        }
        JsonNode meta = list.path("metadata");
        return new ListPage(items, meta.path("resourceVersion").asText(""), meta.path("continue").asText(""));
    }

    /** Every object, following continue tokens; the resourceVersion is the first page's. */
    @Override
    public ListPage listAll(ResourceType type, String namespace, Map<String, String> query) {
        List<ObjectNode> items = new ArrayList<>();
        String token = "";
        String rv = null;
        do {
            Map<String, String> q = new java.util.LinkedHashMap<>(query);
            q.put("limit", "500");
            if (!token.isEmpty()) {
                q.put("continue", token);
            }
            ListPage page = list(type, namespace, q);
            items.addAll(page.items());
            rv = rv == null ? page.resourceVersion() : rv;
            token = page.continueToken();
        } while (!token.isEmpty());
        return new ListPage(items, rv, "");
    }

    /** Opens a watch from resourceVersion; the caller reads events until it closes the stream. */
    public WatchStream watch(ResourceType type, String namespace, String resourceVersion, Duration timeout) {
        return watch(type, namespace, resourceVersion, timeout, Map.of());
    }

    /** A watch of the objects that selectors (labelSelector, fieldSelector) pick. */
    public WatchStream watch(ResourceType type, String namespace, String resourceVersion, Duration timeout, Map<String, String> selectors) {
        Map<String, String> query = new java.util.TreeMap<>(selectors);
        query.putAll(Map.of("watch", "1", "resourceVersion", resourceVersion,
                "allowWatchBookmarks", "true", "timeoutSeconds", Long.toString(timeout.toSeconds())));
        String path = Paths.collection(type, namespace) + Paths.query(query);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request("GET", path, null, null).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            try (InputStream in = response.body()) {
                throw Statuses.toException(response.statusCode(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new WatchStream(response.body());
    }

    /** GET of a path outside the resource tree (discovery), as a JSON tree. */
    public ObjectNode getPath(String path) {
        return send("GET", path, null, null);
    }

    private ObjectNode send(String method, String path, String contentType, JsonNode body) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request(method, path, contentType, body).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() >= 300) {
            throw Statuses.toException(response.statusCode(), response.body());
        }
        return Json.parseObject(response.body());
    }

    private HttpRequest.Builder request(String method, String path, String contentType, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        if (!path.contains("watch=1")) {
            b.timeout(REQUEST_TIMEOUT);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b;
    }

    private static SSLContext sslContext(String caPem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the cluster CA could not be read: " + e.getMessage(), e);
        }
    }

    /** Builds REST paths the way the API server routes them. */
    static final class Paths {

        private Paths() {}

        static String collection(ResourceType type, String namespace) {
            String base = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
            String ns = type.namespaced() && namespace != null && !namespace.isEmpty() ? "/namespaces/" + encode(namespace) : "";
            return base + ns + "/" + type.plural();
        }

        static String object(ResourceType type, String namespace, String name, String subresource) {
            return collection(type, namespace) + "/" + encode(name) + (subresource == null || subresource.isEmpty() ? "" : "/" + subresource);
        }

        static String query(Map<String, String> params) {
            StringBuilder q = new StringBuilder();
            params.forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    q.append(q.isEmpty() ? "?" : "&").append(encode(k)).append('=').append(encode(v));
                }
            });
            return q.toString();
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
