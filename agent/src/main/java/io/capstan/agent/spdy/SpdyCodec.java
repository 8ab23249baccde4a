package io.capstan.agent.spdy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Reads and writes SPDY/3.1 frames on one connection. Control frames start with the control bit, version 3 and
 * a type; data frames with a 31-bit stream id; both then carry 8 bits of flags and a 24-bit length. Reading
 * and writing each keep their own header compression context, so one thread may read while another writes
 * (writes themselves must be serialised by the caller).
 */
public final class SpdyCodec implements AutoCloseable {

    static final int VERSION = 3;
    static final int SYN_STREAM = 1;
    static final int SYN_REPLY = 2;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int HEADERS = 8;
    static final int WINDOW_UPDATE = 9;
    static final int FLAG_FIN = 0x01;
    /** spdystream's limit on one data frame. */
    public static final int MAX_DATA_LENGTH = 0xFFFFFF;

    private final HeaderBlock incoming = new HeaderBlock();
    private final HeaderBlock outgoing = new HeaderBlock();

    /** The next frame from the stream, or null at its clean end (between frames). */
    public SpdyFrame read(InputStream stream) throws IOException {
        DataInputStream in = stream instanceof DataInputStream d ? d : new DataInputStream(stream);
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int word = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int flagsAndLength = in.readInt();
        int flags = flagsAndLength >>> 24;
        int length = flagsAndLength & 0xFFFFFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if ((word & 0x80000000) == 0) {
            return new SpdyFrame.Data(word, (flags & FLAG_FIN) != 0, payload);
        }
        int version = (word >>> 16) & 0x7FFF;
        if (version != VERSION) {
            throw new IOException("unsupported SPDY version " + version);
        }
        return control(word & 0xFFFF, flags, ByteBuffer.wrap(payload));
    }

    private SpdyFrame control(int type, int flags, ByteBuffer p) throws IOException {
        boolean fin = (flags & FLAG_FIN) != 0;
        try {
            return switch (type) {
                case SYN_STREAM -> {
                    int id = p.getInt() & 0x7FFFFFFF;
                    int associated = p.getInt() & 0x7FFFFFFF;
                    int priority = (p.get() & 0xFF) >>> 5;
                    p.get(); // slot
                    yield new SpdyFrame.SynStream(id, associated, priority, fin, incoming.decode(rest(p)));
                }
                case SYN_REPLY -> new SpdyFrame.SynReply(p.getInt() & 0x7FFFFFFF, fin, incoming.decode(rest(p)));
                case HEADERS -> new SpdyFrame.Headers(p.getInt() & 0x7FFFFFFF, fin, incoming.decode(rest(p)));
                case RST_STREAM -> new SpdyFrame.RstStream(p.getInt() & 0x7FFFFFFF, p.getInt());
                case PING -> new SpdyFrame.Ping(p.getInt());
                case GOAWAY -> new SpdyFrame.GoAway(p.getInt() & 0x7FFFFFFF, p.remaining() >= 4 ? p.getInt() : 0);
                case WINDOW_UPDATE -> new SpdyFrame.WindowUpdate(p.getInt() & 0x7FFFFFFF, p.getInt() & 0x7FFFFFFF);
                default -> new SpdyFrame.Other(type, flags, rest(p));
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated SPDY control frame of type " + type, e);
        }
    }

    private static byte[] rest(ByteBuffer p) {
        byte[] bytes = new byte[p.remaining()];
        p.get(bytes);
        return bytes;
    }

    /** The frame's bytes on the wire. */
    public byte[] encode(SpdyFrame frame) {
        return switch (frame) {
            case SpdyFrame.Data d -> {
                if (d.data().length > MAX_DATA_LENGTH) {
                    throw new IllegalArgumentException("a data frame holds at most " + MAX_DATA_LENGTH + " bytes");
                }
                ByteBuffer b = ByteBuffer.allocate(8 + d.data().length);
                b.putInt(d.streamId() & 0x7FFFFFFF).putInt(((d.fin() ? FLAG_FIN : 0) << 24) | d.data().length).put(d.data());
                yield b.array();
            }
            case SpdyFrame.SynStream s -> {
                byte[] block = outgoing.encode(s.headers());
                yield frame(SYN_STREAM, s.fin() ? FLAG_FIN : 0, ByteBuffer.allocate(10 + block.length)
                        .putInt(s.streamId()).putInt(s.associatedTo()).put((byte) (s.priority() << 5)).put((byte) 0).put(block));
            }
            case SpdyFrame.SynReply r -> withHeaders(SYN_REPLY, r.streamId(), r.fin(), r.headers());
            case SpdyFrame.Headers h -> withHeaders(HEADERS, h.streamId(), h.fin(), h.headers());
            case SpdyFrame.RstStream r -> frame(RST_STREAM, 0, ByteBuffer.allocate(8).putInt(r.streamId()).putInt(r.status()));
            case SpdyFrame.Ping p -> frame(PING, 0, ByteBuffer.allocate(4).putInt(p.id()));
            case SpdyFrame.GoAway g -> frame(GOAWAY, 0, ByteBuffer.allocate(8).putInt(g.lastGoodStreamId()).putInt(g.status()));
            case SpdyFrame.WindowUpdate w -> frame(WINDOW_UPDATE, 0, ByteBuffer.allocate(8).putInt(w.streamId()).putInt(w.delta()));
            case SpdyFrame.Other o -> frame(o.type(), o.flags(), ByteBuffer.wrap(o.payload()).position(o.payload().length));
        };
    }

    private byte[] withHeaders(int type, int streamId, boolean fin, Map<String, String> headers) {
        byte[] block = outgoing.encode(headers);
        return frame(type, fin ? FLAG_FIN : 0, ByteBuffer.allocate(4 + block.length).putInt(streamId).put(block));
    }

    private static byte[] frame(int type, int flags, ByteBuffer payload) {
        int length = payload.position();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + length);
        ByteBuffer head = ByteBuffer.allocate(8).putShort((short) (0x8000 | VERSION)).putShort((short) type).putInt((flags << 24) | length);
        out.writeBytes(head.array());
        out.write(payload.array(), 0, length);
        return out.toByteArray();
    }

    @Override
    public void close() {
        incoming.close();
        outgoing.close();
    }
}
