package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routing table of every handled Ingress together: a request's host and path in, the Service backend out.
 * Pure and immutable; rebuilt whenever an Ingress changes.
 *
 * <p>Hosts: an exact rule host beats a wildcard one ({@code *.example.com} covers exactly one more label), which beats
 * rules without a host. The most specific host that has rules decides, as each host is one server block in
 * ingress-nginx; within it the longest matching path wins, Exact before Prefix at equal length. A request no path
 * matches goes to the defaultBackend of the oldest Ingress that has one. Where two Ingresses claim the same host and
 * path, the older one wins (ingress-nginx's rule).
 */
public final class IngressRules {

    private final Map<String, List<Route>> exactHosts;
    private final Map<String, List<Route>> wildcardHosts;
    private final List<Route> anyHost;
    private final Backend defaultBackend;

    private IngressRules(Map<String, List<Route>> exactHosts, Map<String, List<Route>> wildcardHosts, List<Route> anyHost,
                         Backend defaultBackend) {
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.defaultBackend = defaultBackend;
    }

    /** One path of one rule; the backend is null when the Ingress names a resource backend, which this proxy cannot serve. */
    record Route(String path, boolean exact, Backend backend) {}

    static final IngressRules EMPTY = of(List.of());

    /** The table of these Ingresses (all assumed handled by this controller). */
    public static IngressRules of(List<ObjectNode> ingresses) {
        List<ObjectNode> sorted = oldestFirst(ingresses);
        Map<String, List<Route>> exact = new LinkedHashMap<>();
        Map<String, List<Route>> wildcard = new LinkedHashMap<>();
        List<Route> any = new ArrayList<>();
        Backend fallback = null;
        for (ObjectNode ingress : sorted) {
            String namespace = ingress.path("metadata").path("namespace").asText("default");
            JsonNode spec = ingress.path("spec");
            if (fallback == null && spec.path("defaultBackend").isObject()) {
                fallback = backend(namespace, spec.path("defaultBackend"));
            }
            for (JsonNode rule : spec.path("rules")) {
                String host = rule.path("host").asText("").toLowerCase(Locale.ROOT);
                List<Route> routes = host.isEmpty() ? any
                        : host.startsWith("*.") ? wildcard.computeIfAbsent(host.substring(2), h -> new ArrayList<>())
                        : exact.computeIfAbsent(host, h -> new ArrayList<>());
                for (JsonNode p : rule.path("http").path("paths")) {
                    String path = p.path("path").asText("/");
                    boolean isExact = "Exact".equals(p.path("pathType").asText());
                    Route route = new Route(isExact ? path : trimSlashes(path), isExact, backend(namespace, p.path("backend")));
                    if (routes.stream().noneMatch(r -> r.exact() == route.exact() && r.path().equals(route.path()))) {
                        routes.add(route);
                    }
                }
            }
        }
        return new IngressRules(exact, wildcard, any, fallback);
    }

    /** Oldest first (then by namespace and name), so that on equal claims the older Ingress is found first and kept. */
    static List<ObjectNode> oldestFirst(List<ObjectNode> ingresses) {
        List<ObjectNode> sorted = new ArrayList<>(ingresses);
        sorted.sort(Comparator.comparing((ObjectNode i) -> i.path("metadata").path("creationTimestamp").asText(""))
                .thenComparing(i -> i.path("metadata").path("namespace").asText(""))
                .thenComparing(i -> i.path("metadata").path("name").asText("")));
        return sorted;
    }

    /** The backend for a request to host (a Host header, port allowed) and path; empty when nothing matches (404). */
    public Optional<Backend> match(String host, String path) {
        List<Route> routes = routesFor(hostName(host));
        Route best = null;
        for (Route route : routes) {
            if (matches(route, path) && (best == null || route.path().length() > best.path().length()
                    || route.path().length() == best.path().length() && route.exact() && !best.exact())) {
                best = route;
            }
        }
        if (best != null) {
            return Optional.ofNullable(best.backend());
        }
        return Optional.ofNullable(defaultBackend);
    }

    private List<Route> routesFor(String host) {
        List<Route> routes = exactHosts.get(host);
        if (routes != null) {
            return routes;
        }
        int dot = host.indexOf('.');
        if (dot > 0) {
            routes = wildcardHosts.get(host.substring(dot + 1));
            if (routes != null) {
                return routes;
            }
        }
        return anyHost;
    }

    /** Exact: the whole path; Prefix (and ImplementationSpecific): whole elements of the path split by "/". */
    static boolean matches(Route route, String path) {
        if (route.exact()) {
            return route.path().equals(path);
        }
        String prefix = route.path();
        if (prefix.isEmpty()) {
            return true;
        }
        String request = trimSlashes(path);
        return request.equals(prefix) || request.startsWith(prefix) && request.charAt(prefix.length()) == '/';
    }

    /** "/a/b/" and "/a/b" are the same prefix; "/" is the empty prefix, matching every path. */
    private static String trimSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** The host of a Host header: lower case, without port, IPv6 brackets kept. */
    static String hostName(String header) {
        if (header == null) {
            return "";
        }
        String host = header.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        host = colon >= 0 ? host.substring(0, colon) : host;
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static Backend backend(String namespace, JsonNode backend) {
        JsonNode service = backend.path("service");
        if (!service.isObject()) {
            return null;
        }
        JsonNode port = service.path("port");
        return port.path("name").isTextual() && !port.path("name").asText().isEmpty()
                ? new Backend(namespace, service.path("name").asText(), 0, port.path("name").asText())
                : new Backend(namespace, service.path("name").asText(), port.path("number").asInt(), null);
    }
}
