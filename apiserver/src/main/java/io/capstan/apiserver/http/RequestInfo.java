package io.capstan.apiserver.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What a request path and method mean, as Kubernetes' RequestInfoFactory reads them.
 *
 * @param resourceRequest whether it addresses a resource (else discovery, health, ...)
 * @param verb get, list, watch, create, update, patch, delete, deletecollection
 * @param group "" for the core group
 * @param namespace "" for cluster scope or all namespaces
 * @param name "" for collections
 * @param subresource "" when none
 */
public record RequestInfo(boolean resourceRequest, String verb, String group, String version, String namespace,
                          String resource, String name, String subresource) {

    /** The part of a path that is a group/version: "/api/v1" or "/apis/apps/v1". */
    public record GroupVersionPath(String group, String version, List<String> rest) {}

    public static RequestInfo parse(String method, String path, boolean watchParam) {
        List<String> parts = segments(path);
        GroupVersionPath gv = groupVersion(parts);
        if (gv == null || gv.rest().isEmpty()) {
            return new RequestInfo(false, method.toLowerCase(), "", "", "", "", "", "");
        }
        List<String> rest = new ArrayList<>(gv.rest());
        boolean watchPrefix = false;
        if (rest.getFirst().equals("watch")) {
            watchPrefix = true;
            rest.removeFirst();
            if (rest.isEmpty()) {
                return new RequestInfo(false, method.toLowerCase(), "", "", "", "", "", "");
            }
        }
        String namespace = "";
        if (rest.getFirst().equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !rest.get(2).equals("status") && !rest.get(2).equals("finalize")) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.getFirst();
        String name = rest.size() > 1 ? rest.get(1) : "";
        String sub = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
        if (rest.size() > 3 && rest.get(2).equals("proxy")) {
            sub = "proxy"; // pods/NAME/proxy/PATH: the path is the backend's, authorized as pods/proxy
        }
        if (resource.equals("namespaces")) {
            // /api/v1/namespaces/NAME addresses the namespace object itself, which is cluster-scoped.
            namespace = "";
        }
        String verb = switch (method) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            case "GET", "HEAD" -> watchPrefix || (watchParam && sub.isEmpty()) ? "watch" : name.isEmpty() ? "list" : "get";
            default -> method.toLowerCase();
        };
        return new RequestInfo(true, verb, gv.group(), gv.version(), namespace, resource, name, sub);
    }

    /** The non-empty segments of a path (leading, trailing and repeated slashes ignored), without a regex: this runs on every request. */
    static List<String> segments(String path) {
        List<String> parts = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) {
                    parts.add(path.substring(start, i));
                }
                start = i + 1;
            }
        }
        if (parts.isEmpty()) {
            parts.add("");
        }
        return parts;
    }

    /** Splits "/api/v1/..." or "/apis/G/V/..." into group, version and the rest; null otherwise. */
    static GroupVersionPath groupVersion(List<String> parts) {
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            return new GroupVersionPath("", parts.get(1), parts.subList(2, parts.size()));
        }
        if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            return new GroupVersionPath(parts.get(1), parts.get(2), parts.subList(3, parts.size()));
        }
        return null;
    }
}
