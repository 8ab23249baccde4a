package io.capstan.agent.pods;

import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.SandboxInfo;
import java.util.Map;

/**
 * The labels the agent keeps on runtime sandboxes and containers, so that everything it needs to find
 * a pod's containers again (after a restart too) lives with the runtime, as the kubelet's CRI labels do.
 */
final class RuntimeLabels {

    static final String POD_UID = "capstan.io/pod-uid";
    static final String POD_NAMESPACE = "capstan.io/pod-namespace";
    static final String POD_NAME = "capstan.io/pod-name";
    static final String CONTAINER = "capstan.io/container-name";
    static final String ATTEMPT = "capstan.io/attempt";
    static final String INIT = "capstan.io/init";

    private RuntimeLabels() {}

    static Map<String, String> sandbox(String namespace, String name, String uid) {
        return Map.of(POD_UID, uid, POD_NAMESPACE, namespace, POD_NAME, name);
    }

    static Map<String, String> container(String namespace, String name, String uid, String container, int attempt, boolean init) {
        return Map.of(POD_UID, uid, POD_NAMESPACE, namespace, POD_NAME, name, CONTAINER, container,
                ATTEMPT, Integer.toString(attempt), INIT, Boolean.toString(init));
    }

    static String podUid(ContainerStatus c) {
        return c.labels().getOrDefault(POD_UID, "");
    }

    static String podUid(SandboxInfo s) {
        return s.labels().getOrDefault(POD_UID, "");
    }

    static String name(ContainerStatus c) {
        return c.labels().getOrDefault(CONTAINER, c.name());
    }

    static int attempt(ContainerStatus c) {
        try {
            return Integer.parseInt(c.labels().getOrDefault(ATTEMPT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A stable name for one attempt of a container (its root filesystem is kept under it), known before the runtime names it. */
    static String containerId(String podUid, String container, int attempt) {
        return podUid.substring(0, Math.min(13, podUid.length())) + "-" + container + "-" + attempt;
    }
}
