package io.capstan.apiserver.auth;

import java.util.List;

/** Who sent a request, as Kubernetes' user.Info: name and groups. */
public record UserInfo(String name, List<String> groups) {

    /** The cluster administrator the admin token stands for. */
    public static final UserInfo ADMIN = new UserInfo("system:admin", List.of("system:masters", "system:authenticated"));

    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of("system:unauthenticated"));
}
