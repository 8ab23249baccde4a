package io.capstan.apiserver.authz;

import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.http.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acting as another user (kubectl --as/--as-group): Impersonate-User, -Group, -Uid and -Extra-*
 * headers, each allowed only with the `impersonate` verb on users, groups, serviceaccounts, uids or
 * userextras, as Kubernetes' impersonation filter checks them.
 */
public final class Impersonation {

    private static final String SA_PREFIX = "system:serviceaccount:";
    private static final String EXTRA_PREFIX = "Impersonate-Extra-";

    private final Authorizer authorizer;

    public Impersonation(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The user the request acts as: the requester itself when it asks to impersonate no one. */
    public UserInfo actingAs(Exchange exchange, UserInfo requester) {
        String user = exchange.header("Impersonate-User");
        List<String> groupHeaders = exchange.headers("Impersonate-Group");
        String uid = exchange.header("Impersonate-Uid");
        Map<String, List<String>> extra = extraHeaders(exchange);
        if (user == null && groupHeaders.isEmpty() && uid == null && extra.isEmpty()) {
            return requester;
        }
        return actingAs(requester, user, groupHeaders, uid, extra);
    }

    UserInfo actingAs(UserInfo requester, String user, List<String> groupHeaders, String uid, Map<String, List<String>> extra) {
        if (user == null || user.isEmpty()) {
            throw StatusException.badRequest("requested " + describe(groupHeaders, uid, extra) + " without impersonating a user");
        }
        List<String> groups = new ArrayList<>();
        if (user.startsWith(SA_PREFIX) && user.split(":").length == 4) {
            String[] parts = user.split(":");
            check(Attributes.resource(requester, "impersonate", "", "serviceaccounts", "", parts[2], parts[3]));
            if (groupHeaders.isEmpty()) {
                groups.add("system:serviceaccounts");
                groups.add("system:serviceaccounts:" + parts[2]);
            }
        } else {
            check(Attributes.resource(requester, "impersonate", "", "users", "", "", user));
        }
        for (String g : groupHeaders) {
            check(Attributes.resource(requester, "impersonate", "", "groups", "", "", g));
            groups.add(g);
        }
        for (Map.Entry<String, List<String>> e : extra.entrySet()) {
            for (String value : e.getValue()) {
                check(Attributes.resource(requester, "impersonate", "authentication.k8s.io", "userextras", e.getKey(), "", value));
            }
        }
        if (uid != null && !uid.isEmpty()) {
            check(Attributes.resource(requester, "impersonate", "authentication.k8s.io", "uids", "", "", uid));
        }
        boolean anonymous = user.equals(UserInfo.ANONYMOUS.name());
        String implied = anonymous ? UserInfo.UNAUTHENTICATED : UserInfo.AUTHENTICATED;
        if (!groups.contains(UserInfo.AUTHENTICATED) && !groups.contains(UserInfo.UNAUTHENTICATED) || anonymous && !groups.contains(implied)) {
            groups.add(implied);
        }
        return new UserInfo(user, uid == null ? "" : uid, groups, extra);
    }

    private void check(Attributes a) {
        Decision d = authorizer.authorize(a);
        if (!d.allowed()) {
            throw Forbidden.of(a, d.reason());
        }
    }

    private static Map<String, List<String>> extraHeaders(Exchange exchange) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String name : exchange.headerNames()) {
            if (name.regionMatches(true, 0, EXTRA_PREFIX, 0, EXTRA_PREFIX.length())) {
                String key = java.net.URLDecoder.decode(name.substring(EXTRA_PREFIX.length()), java.nio.charset.StandardCharsets.UTF_8)
                        .toLowerCase();
                extra.computeIfAbsent(key, k -> new ArrayList<>()).addAll(exchange.headers(name));
            }
        }
        return extra;
    }

    private static String describe(List<String> groups, String uid, Map<String, List<String>> extra) {
        List<String> parts = new ArrayList<>();
        groups.forEach(g -> parts.add("groups=" + g));
        if (uid != null) {
            parts.add("uid=" + uid);
        }
        extra.forEach((k, v) -> parts.add("extra." + k + "=" + v));
        return String.join(", ", parts);
    }
}
