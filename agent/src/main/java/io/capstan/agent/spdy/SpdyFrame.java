package io.capstan.agent.spdy;

import java.util.Map;

/**
 * A SPDY/3.1 frame, as spdystream (the library under kubectl's port-forward) reads and writes them. Header
 * names are lower case; a header with several values carries them joined by NUL, as on the wire.
 */
public sealed interface SpdyFrame {

    /** The stream's payload; {@code fin} half-closes the sender's side. */
    record Data(int streamId, boolean fin, byte[] data) implements SpdyFrame {}

    /** Opens a stream (odd ids from the client). */
    record SynStream(int streamId, int associatedTo, int priority, boolean fin, Map<String, String> headers) implements SpdyFrame {}

    /** Accepts a stream the peer opened. */
    record SynReply(int streamId, boolean fin, Map<String, String> headers) implements SpdyFrame {}

    /** Aborts a stream; {@code status} is one of the RST_STREAM codes (1 protocol error, 3 refused, 5 cancel, ...). */
    record RstStream(int streamId, int status) implements SpdyFrame {}

    /** Liveness check: the receiver echoes a ping its peer started. */
    record Ping(int id) implements SpdyFrame {}

    /** The sender ends the session after {@code lastGoodStreamId}. */
    record GoAway(int lastGoodStreamId, int status) implements SpdyFrame {}

    /** More headers on a stream. */
    record Headers(int streamId, boolean fin, Map<String, String> headers) implements SpdyFrame {}

    /** Flow control credit; spdystream neither sends nor honours it. */
    record WindowUpdate(int streamId, int delta) implements SpdyFrame {}

    /** SETTINGS, CREDENTIAL and unknown control frames: kept as read, for the session to ignore. */
    record Other(int type, int flags, byte[] payload) implements SpdyFrame {}

    /** RST_STREAM status codes. */
    int PROTOCOL_ERROR = 1;
    int REFUSED_STREAM = 3;
    int CANCEL = 5;
    int STREAM_ALREADY_CLOSED = 9;
}
