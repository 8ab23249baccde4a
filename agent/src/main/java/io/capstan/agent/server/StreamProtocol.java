package io.capstan.agent.server;

import java.util.List;

/**
 * The channel.k8s.io WebSocket protocol of exec and attach: every binary message starts with its channel.
 * v5 adds a close signal, {@code [255, channel]}, with which the client ends stdin.
 */
final class StreamProtocol {

    static final String V5 = "v5.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";
    /** What the agent speaks, best first. */
    static final List<String> SUBPROTOCOLS = List.of(V5, V4);

    static final byte STDIN = 0;
    static final byte STDOUT = 1;
    static final byte STDERR = 2;
    static final byte ERROR = 3;
    static final byte RESIZE = 4;
    static final byte CLOSE = (byte) 255;

    private StreamProtocol() {}
}
