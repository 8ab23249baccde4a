package io.capstan.agent.server;

import java.io.IOException;

/** How the agent reaches the ports of one pod for port-forward. */
public interface PodDialer {

    /** How error messages name the pod: "NAME, uid UID", as the kubelet's do. */
    String describe();

    /**
     * A connection to the pod's port.
     *
     * @throws IOException with the message the client is shown, e.g. {@code dial tcp4 10.42.0.5:8080: connect: connection refused}
     */
    PodConnection dial(int port) throws IOException;
}
