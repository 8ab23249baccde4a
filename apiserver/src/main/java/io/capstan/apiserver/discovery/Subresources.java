package io.capstan.apiserver.discovery;

import java.util.List;
import java.util.Map;

/** What each subresource answers with and which verbs it takes, as Kubernetes publishes them in discovery. */
final class Subresources {

    /**
     * A subresource's discovery facts.
     *
     * @param group "" to mean the parent's group
     * @param version "" to mean the parent's version
     * @param kind "" to mean the parent's kind
     */
    record Info(String group, String version, String kind, List<String> verbs) {}

    private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");

    private static final Map<String, Info> INFO = Map.ofEntries(
            Map.entry("status", new Info("", "", "", GET_PATCH_UPDATE)),
            Map.entry("scale", new Info("autoscaling", "v1", "Scale", GET_PATCH_UPDATE)),
            Map.entry("log", new Info("", "", "Pod", List.of("get"))),
            Map.entry("exec", new Info("", "", "PodExecOptions", List.of("create", "get"))),
            Map.entry("attach", new Info("", "", "PodAttachOptions", List.of("create", "get"))),
            Map.entry("portforward", new Info("", "", "PodPortForwardOptions", List.of("create", "get"))),
            Map.entry("binding", new Info("", "", "Binding", List.of("create"))),
            Map.entry("eviction", new Info("policy", "v1", "Eviction", List.of("create"))),
            Map.entry("ephemeralcontainers", new Info("", "", "", GET_PATCH_UPDATE)),
            Map.entry("token", new Info("authentication.k8s.io", "v1", "TokenRequest", List.of("create"))),
            Map.entry("finalize", new Info("", "", "", List.of("update"))),
            Map.entry("proxy", new Info("", "", "", List.of("create", "delete", "get", "patch", "update"))));

    private Subresources() {}

    static Info of(String subresource, String parentKind) {
        Info info = INFO.getOrDefault(subresource, new Info("", "", "", List.of("get")));
        if (subresource.equals("proxy")) {
            return new Info("", "", parentKind + "ProxyOptions", info.verbs());
        }
        return info;
    }
}
