package io.capstan.apiserver.authz;

import io.capstan.api.StatusException;
import java.util.List;

/** The 403 a denied request gets, worded as kube-apiserver's responsewriters.Forbidden words it. */
public final class Forbidden {

    private Forbidden() {}

    public static StatusException of(Attributes a, String reason) {
        String message = message(a) + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        if (!a.resourceRequest()) {
            return new StatusException(403, "Forbidden", "forbidden: " + message, null, null, null, List.of(), 0);
        }
        return error(a.group(), a.resource(), a.name(), message);
    }

    /** apierrors.NewForbidden: "pods is forbidden: ..." or "pods \"x\" is forbidden: ...", details {name, group, kind}. */
    public static StatusException error(String group, String resource, String name, String why) {
        String qualified = group.isEmpty() ? resource : resource + "." + group;
        String subject = name == null || name.isEmpty() ? qualified : qualified + " \"" + name + "\"";
        return new StatusException(403, "Forbidden", subject + " is forbidden: " + why, name == null || name.isEmpty() ? null : name,
                group, resource, List.of(), 0);
    }

    static String message(Attributes a) {
        String user = a.user() == null ? "" : a.user().name();
        if (!a.resourceRequest()) {
            return "User \"" + user + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
        }
        String where = a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"";
        return "User \"" + user + "\" cannot " + a.verb() + " resource \"" + a.resourceAndSubresource() + "\" in API group \""
                + a.group() + "\"" + where;
    }
}
