package io.capstan.agent.server;

import java.util.Map;

/** The headers of kubectl's port-forward streams (lower case, as SPDY carries them) and the kubelet's checks of them. */
final class PortForwardHeaders {

    static final String STREAM_TYPE = "streamtype";
    static final String PORT = "port";
    static final String REQUEST_ID = "requestid";
    static final String ERROR = "error";
    static final String DATA = "data";

    private PortForwardHeaders() {}

    /** Why the kubelet would refuse a stream with these headers, or null when they are fine. */
    static String check(Map<String, String> headers) {
        String port = headers.getOrDefault(PORT, "");
        if (port.isEmpty()) {
            return "\"port\" header is required";
        }
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return "unable to parse \"" + port + "\" as a port";
        }
        if (value < 1 || value > 65535) {
            return value < 1 ? "port \"" + port + "\" must be > 0" : "unable to parse \"" + port + "\" as a port";
        }
        String type = headers.getOrDefault(STREAM_TYPE, "");
        if (type.isEmpty()) {
            return "\"streamType\" header is required";
        }
        if (!type.equals(ERROR) && !type.equals(DATA)) {
            return "invalid stream type \"" + type + "\"";
        }
        return null;
    }

    /**
     * The stream's request id; clients older than the header get the kubelet's guess, which pairs consecutive
     * streams (error id, data id = error id + 2).
     */
    static String requestId(Map<String, String> headers, int streamId) {
        String id = headers.getOrDefault(REQUEST_ID, "");
        if (!id.isEmpty()) {
            return id;
        }
        return Integer.toString(headers.get(STREAM_TYPE).equals(ERROR) ? streamId : streamId - 2);
    }
}
