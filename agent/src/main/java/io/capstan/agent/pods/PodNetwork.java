package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.SandboxInfo;

/** Connects a pod's sandbox to the pod network (CNI) and gives its IP; the networking module implements it. */
public interface PodNetwork {

    /** A sandbox with only loopback and no pod IP, for nodes without a pod network. */
    PodNetwork LOOPBACK_ONLY = new PodNetwork() {
        @Override
        public String setUp(SandboxInfo sandbox, JsonNode pod) {
            return null;
        }

        @Override
        public void tearDown(SandboxInfo sandbox, JsonNode pod) {}
    };

    /** Sets up the sandbox's network (idempotent) and returns the pod's IP, or null when it has none. */
    String setUp(SandboxInfo sandbox, JsonNode pod);

    /** Releases what {@link #setUp} took (the IP, the host side of the interface). */
    void tearDown(SandboxInfo sandbox, JsonNode pod);
}
