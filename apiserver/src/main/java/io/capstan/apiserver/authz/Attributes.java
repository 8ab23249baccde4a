package io.capstan.apiserver.authz;

import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.http.RequestInfo;

/**
 * What a request asks to do, as Kubernetes' authorizer.Attributes: who, which verb, and either a
 * resource (group, resource, subresource, namespace, name) or a non-resource path.
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String group, String version, String resource,
                         String subresource, String namespace, String name, String path) {

    /** A resource request. */
    public static Attributes resource(UserInfo user, String verb, String group, String resource, String subresource,
                                      String namespace, String name) {
        return new Attributes(user, verb, true, group, "", resource, subresource, namespace, name, "");
    }

    /** A request for a path that is not a resource (/healthz, /api, ...). */
    public static Attributes nonResource(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, false, "", "", "", "", "", "", path);
    }

    /** The attributes of an HTTP request, from its parsed path. */
    public static Attributes of(UserInfo user, RequestInfo info, String method, String path) {
        if (info.resourceRequest()) {
            // Kubernetes' RequestInfo puts a namespace's own requests in that namespace, so a RoleBinding there
            // that grants reading namespaces lets its subject read *this* namespace.
            String namespace = info.group().isEmpty() && info.resource().equals("namespaces") ? info.name() : info.namespace();
            return new Attributes(user, info.verb(), true, info.group(), info.version(), info.resource(), info.subresource(),
                    namespace, info.name(), path);
        }
        String verb = switch (method) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "post";
            case "PUT" -> "put";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase();
        };
        return nonResource(user, verb, path);
    }

    /** "pods" or "pods/log": how rules and messages name the resource. */
    public String resourceAndSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
