package io.capstan.apiserver.auth;

import java.util.List;
import java.util.Map;

/** Who sent a request, as Kubernetes' user.Info: name, uid (may be empty), groups and extra attributes. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";

    /** The cluster administrator the admin token stands for. */
    public static final UserInfo ADMIN = new UserInfo("system:admin", List.of("system:masters", AUTHENTICATED));

    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of(UNAUTHENTICATED));

    public UserInfo {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public UserInfo(String name, List<String> groups) {
        this(name, "", groups, Map.of());
    }
}
